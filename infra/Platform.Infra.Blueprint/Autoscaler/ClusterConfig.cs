using System.Collections.Immutable;
using System.Net;

namespace Platform.Infra.Blueprint.Autoscaler;

/// <summary>
/// The ConfigMap that tells the autoscaler where new nodes join: the API server URL and the service CIDR (from which
/// nodeadm derives cluster DNS). EKS assigns both when it creates the cluster, so the blueprint names the object and
/// its keys, the Pulumi layer fills it from the cluster's outputs through <see cref="Data"/>, and the Deployment reads
/// it as CLUSTER_ENDPOINT and CLUSTER_SERVICE_CIDR.
/// </summary>
public static class ClusterConfig
{
    /// <summary>Name of the ConfigMap, in the autoscaler's namespace.</summary>
    public const string Name = "platform-autoscaler-cluster";

    /// <summary>Key of the API server URL (CLUSTER_ENDPOINT).</summary>
    public const string EndpointKey = "endpoint";

    /// <summary>Key of the service CIDR (CLUSTER_SERVICE_CIDR).</summary>
    public const string ServiceCidrKey = "serviceCidr";

    /// <summary>
    /// The ConfigMap's data for the cluster's endpoint and service CIDR, checked as the autoscaler's <c>run</c> checks
    /// them, so a value it would refuse fails the deployment instead of the autoscaler's pods.
    /// </summary>
    /// <exception cref="ArgumentException">Either value is unusable; the message names both problems.</exception>
    public static ImmutableDictionary<string, string> Data(string endpoint, string serviceCidr)
    {
        var errors = new List<string>();
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
        {
            errors.Add($"data.{EndpointKey}: \"{endpoint}\" is not an https URL (the EKS cluster's API server endpoint)");
        }

        // An empty value would not fail: the autoscaler would fall back to 10.100.0.0/16, which EKS does not always pick.
        if (!IPNetwork.TryParse(serviceCidr, out _))
        {
            errors.Add($"data.{ServiceCidrKey}: \"{serviceCidr}\" is not a CIDR (the EKS cluster's service IPv4 CIDR)");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException($"ConfigMap {AutoscalerManifests.Namespace}/{Name}: {string.Join("; ", errors)}");
        }

        return ImmutableDictionary<string, string>.Empty.Add(EndpointKey, endpoint).Add(ServiceCidrKey, serviceCidr);
    }
}
