using k8s.Models;
using Platform.Autoscaler.Api;

namespace Platform.Autoscaler.Tests.Kubernetes;

/// <summary>Small Kubernetes objects for the wire tests.</summary>
internal static class ClusterObjects
{
    public static V1Pod Pod(string ns, string name, string? nodeName = null, IDictionary<string, string>? labels = null) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels },
        Spec = new V1PodSpec { NodeName = nodeName, Containers = [new V1Container { Name = "main", Image = "busybox" }] },
    };

    public static V1Node Node(string name, IDictionary<string, string>? labels = null, IList<V1Taint>? taints = null) => new()
    {
        ApiVersion = "v1",
        Kind = "Node",
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Spec = new V1NodeSpec { Taints = taints, ProviderID = $"aws:///us-east-1a/i-{name}" },
    };

    public static NodeClaim NodeClaim(string name, IList<string>? finalizers = null, IDictionary<string, string>? labels = null, NodeClaimStatus? status = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Finalizers = finalizers, Labels = labels },
        Spec = new NodeClaimSpec { NodeClassRef = new NodeClassReference { Group = EC2NodeClass.Group, Kind = EC2NodeClass.KindName, Name = "gpu" } },
        Status = status,
    };

    public static NodePool NodePool(string name) => new() { Metadata = new V1ObjectMeta { Name = name } };

    public static EC2NodeClass NodeClass(string name) => new() { Metadata = new V1ObjectMeta { Name = name } };

    public static V1PodDisruptionBudget Budget(string ns, string name, IDictionary<string, string> matchLabels, int? minAvailable = null, int? disruptionsAllowed = null) => new()
    {
        ApiVersion = "policy/v1",
        Kind = "PodDisruptionBudget",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1PodDisruptionBudgetSpec
        {
            Selector = new V1LabelSelector { MatchLabels = matchLabels },
            MinAvailable = minAvailable is { } min ? (IntOrString)min : null,
        },
        Status = disruptionsAllowed is { } allowed
            ? new V1PodDisruptionBudgetStatus { DisruptionsAllowed = allowed, CurrentHealthy = 0, DesiredHealthy = 0, ExpectedPods = 0 }
            : null,
    };

    public static V1Namespace Namespace(string name, IDictionary<string, string>? labels = null) => new()
    {
        ApiVersion = "v1",
        Kind = "Namespace",
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
    };

    public static V1DaemonSet DaemonSet(string ns, string name) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "DaemonSet",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1DaemonSetSpec { Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } } },
    };
}
