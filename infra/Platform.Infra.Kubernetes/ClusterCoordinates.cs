using Pulumi;

namespace Platform.Infra.Kubernetes;

/// <summary>
/// Where new nodes join the cluster: the API server URL and the service CIDR (from which nodes derive cluster DNS).
/// The cloud layer knows them only once the cluster exists, so they arrive as inputs, not in the blueprint.
/// </summary>
public sealed record ClusterCoordinates(Input<string> Endpoint, Input<string> ServiceCidr);
