using System.Collections.Immutable;

namespace Platform.Autoscaler.Tests.Kubernetes;

/// <summary>One resource the fake API server serves: where it lives, its kind, and whether it has a status subresource.</summary>
internal sealed record FakeResource(string Group, string Version, string Plural, string Kind, bool Namespaced, bool HasStatus)
{
    public static FakeResource Pods { get; } = new("", "v1", "pods", "Pod", Namespaced: true, HasStatus: true);

    public static FakeResource Nodes { get; } = new("", "v1", "nodes", "Node", Namespaced: false, HasStatus: true);

    public static FakeResource Events { get; } = new("", "v1", "events", "Event", Namespaced: true, HasStatus: false);

    public static FakeResource NodeClaims { get; } = new("karpenter.sh", "v1", "nodeclaims", "NodeClaim", Namespaced: false, HasStatus: true);

    public static FakeResource NodePools { get; } = new("karpenter.sh", "v1", "nodepools", "NodePool", Namespaced: false, HasStatus: true);

    public static FakeResource NodeClasses { get; } = new("karpenter.k8s.aws", "v1", "ec2nodeclasses", "EC2NodeClass", Namespaced: false, HasStatus: true);

    public static FakeResource DisruptionBudgets { get; } = new("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", Namespaced: true, HasStatus: true);

    public static FakeResource DaemonSets { get; } = new("apps", "v1", "daemonsets", "DaemonSet", Namespaced: true, HasStatus: true);

    public static FakeResource Namespaces { get; } = new("", "v1", "namespaces", "Namespace", Namespaced: false, HasStatus: true);

    public static FakeResource Leases { get; } = new("coordination.k8s.io", "v1", "leases", "Lease", Namespaced: true, HasStatus: false);

    public static FakeResource ConfigMaps { get; } = new("", "v1", "configmaps", "ConfigMap", Namespaced: true, HasStatus: false);

    public static ImmutableArray<FakeResource> All { get; } =
        [Pods, Nodes, Events, NodeClaims, NodePools, NodeClasses, DisruptionBudgets, DaemonSets, Namespaces, Leases, ConfigMaps];

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public static FakeResource? Find(string group, string version, string plural) =>
        All.FirstOrDefault(r => r.Group == group && r.Version == version && r.Plural == plural);

    public static FakeResource? ForKind(string apiVersion, string kind) =>
        All.FirstOrDefault(r => r.ApiVersion == apiVersion && r.Kind == kind);
}
