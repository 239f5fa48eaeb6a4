using Platform.Autoscaler.Api;
using Platform.Autoscaler.Core.Model;

namespace Platform.Autoscaler.Core.Scheduling;

/// <summary>
/// Decides, for a batch of pending pods, where each goes: an existing node, or a new NodeClaim of the
/// highest-weight pool that can take it. Pods are placed largest first; identical pods share all cached work.
/// A pod joins an open claim only when that raises the claim's price by no more than a node of its own would
/// cost, so cheap small nodes win where they are cheaper (GPU pods) and dense nodes where they are not; or, when the
/// input asks to pack claims (disruption's simulations), whenever one of the claim's options still fits it.
/// Preferences are relaxed in Karpenter's order when a pod fits nowhere. Pure: same input, same plan.
/// </summary>
public sealed partial class Scheduler
{
    private const double PriceEpsilon = 1e-9;

    /// <summary>Pods are placed largest first, by accelerators, then cpu, then memory.</summary>
    private static readonly string[] SizeOrder = [WellKnownResources.NvidiaGpu, WellKnownResources.AwsNeuron, WellKnownResources.Cpu, WellKnownResources.Memory];

    private readonly SchedulingInput input;
    private readonly ResourceIndex resources = new();
    private readonly List<PoolState> pools;
    private readonly SchedulerCache cache;
    private readonly List<Bin> bins = [];
    private readonly Dictionary<string, TopologyGroup> topologyGroups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> domainUniverse = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> namespaceLabels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> sortedUniverse = new(StringComparer.Ordinal);
    private readonly List<PodPlacement> placements = [];
    private readonly List<UnplacedPod> unplaced = [];

    private Scheduler(SchedulingInput input)
    {
        this.input = input;
        cache = input.Cache ?? new SchedulerCache();
        foreach (var name in SizeOrder)
        {
            resources.Slot(name);
        }

        pools = [.. input.NodePools
            .OrderByDescending(p => p.Weight).ThenBy(p => p.Name, StringComparer.Ordinal)
            .Select((p, i) => new PoolState(p, i, resources, cache))];
    }

    /// <summary>Solves one batch.</summary>
    public static Plan Solve(SchedulingInput input) => new Scheduler(input).Run();

    private Plan Run()
    {
        foreach (var pod in input.Pods)
        {
            resources.Register(pod.Requests);
        }

        foreach (var node in input.Nodes)
        {
            resources.Register(node.Allocatable);
            foreach (var pod in node.Pods)
            {
                resources.Register(pod.Requests);
            }
        }

        foreach (var pool in pools)
        {
            pool.Compile(resources);
        }

        var preferNoSchedule = pools.Any(p => p.Template.Taints.Any(IsPreferNoSchedule)) || input.Nodes.Any(n => n.Taints.Any(IsPreferNoSchedule));
        var groups = new Dictionary<string, PodGroup>(StringComparer.Ordinal);
        var ordered = new List<(Pod Pod, PodGroup Group)>(input.Pods.Count);
        foreach (var pod in input.Pods)
        {
            var signature = PodGroup.Signature(pod);
            if (!groups.TryGetValue(signature, out var group))
            {
                group = new PodGroup(groups.Count, pod, PodRequest(pod), Variant.For(pod, preferNoSchedule));
                groups[signature] = group;
            }

            ordered.Add((pod, group));
        }

        // Topology groups exist before existing pods are counted, so every constraint sees the whole cluster.
        foreach (var group in groups.Values)
        {
            for (var v = 0; v < group.Variants.Count; v++)
            {
                _ = State(group, v);
            }
        }

        AddExistingNodes();
        foreach (var group in groups.Values)
        {
            LinkCounting(group);
        }

        ordered.Sort((a, b) => CompareSize(a.Group, b.Group));
        unplacedInGroup = new int[groups.Count];
        foreach (var (_, group) in ordered)
        {
            unplacedInGroup[group.Id]++;
        }

        foreach (var (pod, group) in ordered)
        {
            Place(pod, group);
            unplacedInGroup[group.Id]--;
        }

        Repack(ordered);
        return BuildPlan();
    }

    private static bool IsPreferNoSchedule(Taint taint) => taint.Effect == TaintEffects.PreferNoSchedule;

    private int CompareSize(PodGroup a, PodGroup b)
    {
        foreach (var name in SizeOrder)
        {
            var slot = resources.Slot(name);
            var order = b.Request[slot].CompareTo(a.Request[slot]);
            if (order != 0)
            {
                return order;
            }
        }

        return a.Id.CompareTo(b.Id);
    }

    private long[] PodRequest(Pod pod)
    {
        var request = resources.Vector(pod.Requests);
        request[resources.Slot(WellKnownResources.Pods)] = Math.Max(1, request[resources.Slot(WellKnownResources.Pods)]);
        return request;
    }

    private void AddExistingNodes()
    {
        foreach (var node in input.Nodes)
        {
            var used = new long[resources.Count];
            foreach (var pod in node.Pods)
            {
                ResourceIndex.AddTo(used, PodRequest(pod));
            }

            var bin = new Bin(bins.Count, node, cache.NodeRequirements(node.Labels), resources.Vector(node.Allocatable), used);
            bin.Pods.AddRange(node.Pods);
            bins.Add(bin);
            foreach (var pod in node.Pods)
            {
                CountExisting(bin, pod);
            }
        }
    }

    private void Place(Pod pod, PodGroup group)
    {
        if (pod.Refusal is { } refusal)
        {
            unplaced.Add(new UnplacedPod(pod, [refusal]));
            return;
        }

        List<string> reasons = [];
        for (var v = 0; v < group.Variants.Count; v++)
        {
            reasons = [];
            if (TryPlace(pod, group, State(group, v), reasons))
            {
                return;
            }
        }

        unplaced.Add(new UnplacedPod(pod, reasons));
    }

    private bool TryPlace(Pod pod, PodGroup group, VariantState state, List<string> reasons)
    {
        var existingRejections = 0;
        for (var i = state.FirstAlive; i < bins.Count; i++)
        {
            if (state.IsDead(i))
            {
                continue;
            }

            var bin = bins[i];
            var outcome = bin.IsNew ? TryClaim(bin, pod, group, state) : TryNode(bin, pod, group, state);
            switch (outcome)
            {
                case Outcome.Placed:
                    return true;
                case Outcome.Never:
                    state.Kill(i);
                    break;
            }

            if (!bin.IsNew)
            {
                existingRejections++;
            }
        }

        if (input.Nodes.Count > 0)
        {
            reasons.Add($"existing nodes: none of {input.Nodes.Count} can take it");
        }

        if (TryNewClaimByTier(pod, group, state, reasons))
        {
            return true;
        }

        if (pools.Count == 0)
        {
            reasons.Add("no NodePool");
        }

        return false;
    }

    private VariantState State(PodGroup group, int variant) =>
        group.State(variant, v =>
        {
            var state = new VariantState(v, [.. pools.Select(p => Fit(p, group, v))]);
            RegisterTopology(group.Template, v, state);
            return state;
        });

    private enum Outcome
    {
        Placed,
        NotNow,
        Never,
    }
}
