using System.Collections.Immutable;

namespace Platform.Infra.Blueprint.Ordering;

/// <summary>
/// The order in which <c>pulumi up</c> creates the stack's stages and <c>pulumi destroy</c> deletes them, as data. Pulumi
/// creates a resource once everything it depends on exists, and deletes it before anything it depends on, so each
/// edge here becomes an explicit <c>DependsOn</c> in the Pulumi layers (never only an implicit dependency through an
/// input), where the mock tests can see it. Deletion runs these edges backwards: the NodePools go first, and while
/// they go (foreground deletion, which waits for their NodeClaims) the autoscaler still has its Deployment, nodes,
/// DNS, credentials, queue and route to the EC2 API to terminate every instance it launched.
/// </summary>
public static class StackOrder
{
    /// <summary>
    /// How long <c>pulumi destroy</c> waits for one NodePool to go: its NodeClaims are drained (the Eviction API, so
    /// PodDisruptionBudgets are honoured) and their instances terminated first. Past it the step fails with the
    /// NodePool still present, and the autoscaler, which Pulumi has not deleted yet, keeps working on it.
    /// </summary>
    public static readonly TimeSpan NodePoolDeleteTimeout = TimeSpan.FromMinutes(30);

    /// <summary>The Pulumi Kubernetes provider's annotation choosing how a delete propagates to dependents.</summary>
    public const string DeletionPropagationAnnotation = "pulumi.com/deletionPropagationPolicy";

    /// <summary>
    /// Foreground: the API server keeps the NodePool until every NodeClaim it owns (blockOwnerDeletion) is gone, and a
    /// NodeClaim goes only when the autoscaler has terminated its instance and removed its finalizer.
    /// </summary>
    public const string ForegroundDeletion = "foreground";

    /// <summary>Every edge, with its reason.</summary>
    public static ImmutableArray<StageEdge> Edges { get; } =
    [
        new(Stage.ControlPlane, Stage.Network, "the control plane's network interfaces sit in the private subnets"),
        new(Stage.ControlPlane, Stage.Iam, "the node role's access entry lets nodes join"),
        new(Stage.SystemNodes, Stage.ControlPlane, "nodes join the cluster"),
        new(Stage.SystemNodes, Stage.Network, "nodes pull images through the NAT gateways"),
        new(Stage.SystemNodes, Stage.Iam, "nodes run with the node role"),
        new(Stage.PodIdentityAgent, Stage.ControlPlane, "an addon of the cluster; a DaemonSet is healthy with no node"),
        new(Stage.CoreDns, Stage.SystemNodes, "a Deployment: with no node the addon stays DEGRADED and its create waits until it times out (pulumi/pulumi-eks#1819, #1525)"),
        new(Stage.EbsCsiDriver, Stage.SystemNodes, "its controller is a Deployment, DEGRADED with no node"),
        new(Stage.EbsCsiDriver, Stage.PodIdentityAgent, "the controller's credentials come from the agent"),
        new(Stage.EbsCsiDriver, Stage.Iam, "the driver's role"),
        new(Stage.AutoscalerIdentity, Stage.PodIdentityAgent, "associations are served by the agent"),
        new(Stage.AutoscalerIdentity, Stage.Iam, "the autoscaler's role; deleted after the association"),
        new(Stage.ClusterSecurityGroupTag, Stage.ControlPlane, "tags the security group EKS made for the cluster"),
        new(Stage.KubernetesProvider, Stage.ControlPlane, "the kubeconfig names the API server"),
        new(Stage.Monitoring, Stage.KubernetesProvider, "applied through the provider"),
        new(Stage.Monitoring, Stage.SystemNodes, "an atomic Helm release waits for its pods, which need nodes"),
        new(Stage.Monitoring, Stage.CoreDns, "its pods resolve services by name"),
        new(Stage.GpuOperator, Stage.Monitoring, "its ServiceMonitor needs the monitoring CRDs"),
        new(Stage.GpuOperator, Stage.SystemNodes, "an atomic Helm release waits for its operator pods"),
        new(Stage.GpuOperator, Stage.CoreDns, "its pods resolve services by name"),
        new(Stage.Keda, Stage.Monitoring, "its ServiceMonitors need the monitoring CRDs"),
        new(Stage.Keda, Stage.SystemNodes, "an atomic Helm release waits for its pods"),
        new(Stage.Keda, Stage.CoreDns, "its pods resolve services by name"),
        new(Stage.AutoscalerCrds, Stage.KubernetesProvider, "applied through the provider"),
        new(Stage.Autoscaler, Stage.AutoscalerCrds, "it lists NodePools, NodeClaims and EC2NodeClasses at start"),
        new(Stage.Autoscaler, Stage.AutoscalerIdentity, "without the association its first pods get no AWS credentials"),
        new(Stage.Autoscaler, Stage.PodIdentityAgent, "the agent hands out those credentials"),
        new(Stage.Autoscaler, Stage.SystemNodes, "its pods run on the system nodes; on destroy they must outlive its last termination"),
        new(Stage.Autoscaler, Stage.CoreDns, "it resolves the EC2, SQS and STS endpoints by name"),
        new(Stage.Autoscaler, Stage.Iam, "its role policy must outlive it on destroy, or it cannot terminate instances"),
        new(Stage.Autoscaler, Stage.InterruptionQueue, "it reads the queue"),
        new(Stage.Autoscaler, Stage.GpuOperator, "it reads the GPU Operator's MIG and device plugin ConfigMaps, in the namespace the release creates"),
        new(Stage.Autoscaler, Stage.Network, "it reaches the AWS APIs through the NAT gateways and routes until its last termination"),
        new(Stage.NodeClasses, Stage.AutoscalerCrds, "instances of a CRD"),
        new(Stage.NodeClasses, Stage.Autoscaler, "on destroy the autoscaler outlives every EC2NodeClass"),
        new(Stage.NodeClasses, Stage.ClusterSecurityGroupTag, "their security group selector matches the tag"),
        new(Stage.NodeClasses, Stage.Network, "their subnet selector matches the subnets' discovery tags"),
        new(Stage.NodeClasses, Stage.Iam, "spec.role names the node role and instance profile"),
        new(Stage.NodePools, Stage.NodeClasses, "each names its EC2NodeClass"),
        new(Stage.NodePools, Stage.Autoscaler, "on destroy a NodePool's deletion waits for its NodeClaims, which only the autoscaler finishes"),
    ];

    /// <summary>The stages <paramref name="stage"/> waits for directly.</summary>
    public static IReadOnlyList<Stage> Before(Stage stage) => [.. Edges.Where(e => e.Later == stage).Select(e => e.Earlier).Distinct()];

    /// <summary>Whether <paramref name="later"/> waits for <paramref name="earlier"/>, directly or through other stages.</summary>
    public static bool IsAfter(Stage later, Stage earlier)
    {
        var seen = new HashSet<Stage>();
        var todo = new Stack<Stage>(Before(later));
        while (todo.TryPop(out var stage))
        {
            if (stage == earlier)
            {
                return true;
            }

            if (seen.Add(stage))
            {
                foreach (var next in Before(stage))
                {
                    todo.Push(next);
                }
            }
        }

        return false;
    }

    /// <summary>The stages in waves: each wave waits only for earlier waves, as <c>pulumi up</c> can run them.</summary>
    /// <exception cref="InvalidOperationException">The edges form a cycle (named).</exception>
    public static IReadOnlyList<IReadOnlyList<Stage>> CreationWaves()
    {
        var left = Enum.GetValues<Stage>().ToHashSet();
        var waves = new List<IReadOnlyList<Stage>>();
        while (left.Count > 0)
        {
            var wave = left.Where(s => !Before(s).Any(left.Contains)).Order().ToList();
            if (wave.Count == 0)
            {
                throw new InvalidOperationException($"the stack order has a cycle among {string.Join(", ", left.Order())}");
            }

            waves.Add(wave);
            left.ExceptWith(wave);
        }

        return waves;
    }

    /// <summary>The waves <c>pulumi destroy</c> runs: creation's, backwards.</summary>
    public static IReadOnlyList<IReadOnlyList<Stage>> DeletionWaves() => [.. CreationWaves().Reverse()];
}
