using Platform.Autoscaler.Core.Model;

namespace Platform.Autoscaler.Core.Disruption;

/// <summary>A node the autoscaler owns, with what disruption needs to judge it: its claim, price, age and state.</summary>
public sealed record NodeState
{
    /// <summary>The node with its pods (daemonset pods included, marked as such).</summary>
    public required ClusterNode Node { get; init; }

    /// <summary>The NodePool that owns it.</summary>
    public required string NodePool { get; init; }

    /// <summary>Its NodeClaim's name.</summary>
    public required string NodeClaim { get; init; }

    /// <summary>Instance type.</summary>
    public required string InstanceType { get; init; }

    /// <summary>spot or on-demand.</summary>
    public required string CapacityType { get; init; }

    /// <summary>Zone.</summary>
    public required string Zone { get; init; }

    /// <summary>Hourly price.</summary>
    public required double Price { get; init; }

    /// <summary>When the NodeClaim was created (expiration counts from here).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// When a pod last bound to or left the node, or, for a node that never had one, when it initialized (it could
    /// hold pods only from then): consolidateAfter counts from here.
    /// </summary>
    public required DateTimeOffset LastPodEventAt { get; init; }

    /// <summary>Registered, ready, with its resources visible.</summary>
    public bool Initialized { get; init; } = true;

    /// <summary>Its NodePool's or EC2NodeClass's spec hash no longer matches the one it was launched from.</summary>
    public bool Drifted { get; init; }

    /// <summary>Already being disrupted or deleted.</summary>
    public bool MarkedForDeletion { get; init; }

    /// <summary>The provisioner placed pending pods here that are not bound yet: the node is about to be used.</summary>
    public bool Nominated { get; init; }

    /// <summary>The node carries karpenter.sh/do-not-disrupt.</summary>
    public bool DoNotDisrupt { get; init; }

    /// <summary>Names of pods that are daemonset (or mirror) pods: they are not displaced when the node goes.</summary>
    public IReadOnlySet<string> DaemonPods { get; init; } = new HashSet<string>();

    /// <summary>The pods that must move if the node goes.</summary>
    public IEnumerable<Pod> Workload => Node.Pods.Where(p => !DaemonPods.Contains(p.Id));

    /// <summary>Node name.</summary>
    public string Name => Node.Name;
}
