using System.Collections.Concurrent;
using System.Collections.Immutable;
using Pulumi.Testing;

namespace Platform.Infra.Kubernetes.Tests;

/// <summary>
/// Answers for every resource type the in-cluster layer declares, and an error for any other, so a new resource
/// type cannot slip in untested. Records each registration for the assertions.
/// </summary>
internal sealed class KubernetesMocks : IMocks
{
    /// <summary>The type of the tests' stand-ins for the cloud layer's stages, which the in-cluster layer waits for.</summary>
    public const string StandInType = "test:aws:Stage";

    private static readonly ImmutableHashSet<string> Known =
    [
        StandInType,
        "pulumi:providers:kubernetes",
        "platform:kubernetes:Observability", "platform:kubernetes:GpuOperator", "platform:kubernetes:Keda",
        "platform:kubernetes:Autoscaler", "platform:kubernetes:NodePools",
        "kubernetes:helm.sh/v3:Release", "kubernetes:yaml/v2:ConfigGroup",
        "kubernetes:core/v1:Namespace", "kubernetes:core/v1:ServiceAccount", "kubernetes:core/v1:Service", "kubernetes:core/v1:ConfigMap",
        "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
        "kubernetes:rbac.authorization.k8s.io/v1:Role", "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
        "kubernetes:apps/v1:Deployment", "kubernetes:policy/v1:PodDisruptionBudget",
        "kubernetes:monitoring.coreos.com/v1:ServiceMonitor", "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
        "kubernetes:keda.sh/v1alpha1:ScaledObject",
        "kubernetes:karpenter.sh/v1:NodePool", "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass",
    ];

    public ConcurrentBag<MockResourceArgs> Registered { get; } = [];

    public Task<(string? id, object state)> NewResourceAsync(MockResourceArgs args)
    {
        if (!Known.Contains(args.Type!))
        {
            throw new InvalidOperationException($"unexpected resource type {args.Type} ({args.Name}); add it to the mocks with a test");
        }

        Registered.Add(args);
        return Task.FromResult<(string?, object)>(($"{args.Name}-id", args.Inputs));
    }

    public Task<object> CallAsync(MockCallArgs args) =>
        throw new InvalidOperationException($"unexpected invoke {args.Token}: the in-cluster layer calls no functions");

    /// <summary>The inputs of the single resource of the given type and name.</summary>
    public ImmutableDictionary<string, object> Inputs(string type, string name) =>
        Registered.Single(r => r.Type == type && r.Name == name).Inputs;

    public IEnumerable<MockResourceArgs> OfType(string type) => Registered.Where(r => r.Type == type);
}
