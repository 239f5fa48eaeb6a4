using Platform.Autoscaler.Api;
using Platform.Autoscaler.Cluster;
using Platform.Autoscaler.Core.Disruption;
using Platform.Autoscaler.Core.Scheduling;

namespace Platform.Autoscaler.Controllers;

/// <summary>
/// Carries out the core's disruption decisions safely. A decision waits <see cref="ControllerOptions.ValidationDelay"/>
/// and is decided again: only commands the fresh decision repeats (same nodes) go ahead, so a changed cluster
/// abandons them. A replace launches its replacements first and deletes the old nodes only once every replacement
/// has initialized (termination then drains them within their PDBs); a replacement that fails or times out
/// abandons the command and is removed. A crash loses only the in-memory command: the replacements, empty, are
/// consolidated later, and the old nodes were never touched.
/// </summary>
public sealed class DisruptionController(ControllerContext context)
{
    private (IReadOnlyList<DisruptionCommand> Commands, DateTimeOffset At)? pending;
    private (DisruptionCommand Command, IReadOnlyList<string> Replacements, DateTimeOffset At)? active;
    private DateTimeOffset next = DateTimeOffset.MinValue;
    private (ClusterView View, DateTimeOffset At)? quiet;

    // Compiled pool types survive between passes (the pools rarely change); renewed hourly so node label sets of
    // long-gone nodes do not pile up in it.
    private SchedulerCache cache = new();
    private DateTimeOffset cacheSince = DateTimeOffset.MinValue;

    /// <summary>The last pass's reasoning (explain mode).</summary>
    public IReadOnlyList<string> LastExplanation { get; private set; } = [];

    /// <summary>One pass, at most every <see cref="ControllerOptions.DisruptionInterval"/>.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var now = context.Now;
        if (now < next)
        {
            return;
        }

        next = now + context.Options.DisruptionInterval;
        var view = await context.ViewAsync(cancellationToken).ConfigureAwait(false);
        if (active is { } running)
        {
            await AdvanceAsync(view, running.Command, running.Replacements, running.At, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Nothing may be disrupted while pods wait for capacity: their claims are about to change the picture.
        if (view.Claims.Values.FirstOrDefault(c => c.Metadata.DeletionTimestamp is null && !NodeClaimConditions.IsTrue(c, NodeClaimConditions.Initialized)) is { } waitingFor)
        {
            if (!LastExplanation.SequenceEqual([$"waiting for NodeClaim/{waitingFor.Metadata.Name} to initialize"]))
            {
                LastExplanation = [$"waiting for NodeClaim/{waitingFor.Metadata.Name} to initialize"];
                context.Record("disruption", "explain", "cluster", LastExplanation[0]);
            }

            return;
        }

        // An unchanged cluster that had nothing to disrupt is looked at again once a minute (for consolidateAfter
        // and budget windows), not every pass.
        if (pending is null && quiet is { } q && ReferenceEquals(q.View, view) && now - q.At < TimeSpan.FromMinutes(1))
        {
            return;
        }

        var decision = Decide(view, now, cancellationToken);
        quiet = decision.Commands.Count == 0 ? (view, now) : null;
        if (pending is not { } waiting)
        {
            if (decision.Commands.Count > 0)
            {
                pending = (decision.Commands, now);
                foreach (var command in decision.Commands)
                {
                    context.Record("disruption", "decide", Subjects(command), command.ToString());
                }
            }

            return;
        }

        if (now - waiting.At < context.Options.ValidationDelay)
        {
            return;
        }

        pending = null;
        var confirmed = decision.Commands.Where(c => waiting.Commands.Any(w => SameNodes(w, c))).ToList();
        foreach (var dropped in waiting.Commands.Where(w => !confirmed.Any(c => SameNodes(w, c))))
        {
            context.Record("disruption", "abandon", Subjects(dropped), "the cluster changed before validation");
        }

        foreach (var command in confirmed)
        {
            if (active is not null)
            {
                break;
            }

            await ExecuteAsync(view, command, cancellationToken).ConfigureAwait(false);
        }
    }

    private DisruptionDecision Decide(ClusterView view, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (now - cacheSince > TimeSpan.FromHours(1))
        {
            cache = new SchedulerCache();
            cacheSince = now;
        }

        // consolidateAfter counts from the last change of a node's pods this process saw, when the claim's status
        // does not show it yet.
        var owned = view.Owned.Select(n => context.PodsChangedAt(n.NodeClaim) is { } changed && changed > n.LastPodEventAt ? n with { LastPodEventAt = changed } : n)
            .Select(n => context.IsNominated(n.NodeClaim) ? n with { Nominated = true } : n).ToList();
        var input = new DisruptionInput(owned, view.Unowned, view.Pools, view.Policies, view.Budgets, now, cache) { NamespaceLabels = view.NamespaceLabels };
        using var limit = new CancellationTokenSource(context.Options.DisruptionSearchLimit, context.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(limit.Token, cancellationToken);
        var decision = Disrupter.Decide(input, linked.Token);
        cancellationToken.ThrowIfCancellationRequested();
        if (!decision.Explanation.SequenceEqual(LastExplanation))
        {
            context.Record("disruption", "explain", "cluster", string.Join(" | ", decision.Explanation));
        }

        LastExplanation = decision.Explanation;
        var eligible = view.Owned.Count(n => n is { MarkedForDeletion: false, Initialized: true, DoNotDisrupt: false });
        context.Metrics.DisruptionEligibleNodes.WithLabels("Underutilized").Set(eligible);
        context.Metrics.DisruptionEligibleNodes.WithLabels("Drifted").Set(view.Owned.Count(n => n.Drifted && !n.MarkedForDeletion));
        return decision;
    }

    private async Task ExecuteAsync(ClusterView view, DisruptionCommand command, CancellationToken cancellationToken)
    {
        if (!command.IsReplace)
        {
            await DeleteCandidatesAsync(view, command, cancellationToken).ConfigureAwait(false);
            return;
        }

        var pools = view.Snapshot.NodePools.ToDictionary(p => p.Metadata.Name, StringComparer.Ordinal);
        var names = new List<string>();
        foreach (var replacement in command.Replacements)
        {
            var pool = pools[replacement.NodePool];
            var nodeClass = view.Snapshot.NodeClasses.FirstOrDefault(c => c.Metadata.Name == pool.Spec?.Template?.Spec?.NodeClassRef?.Name);
            var name = context.NewClaimName(replacement.NodePool);
            await context.CreateNodeClaimAsync(NodeClaimFactory.Create(name, replacement, pool, nodeClass, context.Options.MaxInstanceTypesPerClaim), cancellationToken).ConfigureAwait(false);
            names.Add(name);
        }

        active = (command, names, context.Now);
        context.Record("disruption", "replace", Subjects(command), $"launching {string.Join(", ", names)} before draining; {command.Why}");
    }

    private async Task AdvanceAsync(ClusterView view, DisruptionCommand command, IReadOnlyList<string> replacements, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var claims = replacements.Select(n => view.Claims.GetValueOrDefault(n)).ToList();
        if (claims.All(c => c is not null && NodeClaimConditions.IsTrue(c, NodeClaimConditions.Initialized)))
        {
            active = null;
            await DeleteCandidatesAsync(view, command, cancellationToken).ConfigureAwait(false);
            return;
        }

        var failed = claims.Any(c => c is null || c.Metadata.DeletionTimestamp is not null);
        if (!failed && context.Now - started < context.Options.ReplacementTimeout)
        {
            return;
        }

        active = null;
        foreach (var claim in claims.OfType<NodeClaim>().Where(c => c.Metadata.DeletionTimestamp is null))
        {
            await context.DeleteClaimAsync(claim, "ReplacementAbandoned", "disruption", "its disruption command was abandoned", cancellationToken).ConfigureAwait(false);
        }

        context.Record("disruption", "abandon", Subjects(command), failed ? "a replacement failed to launch" : "replacements did not initialize in time");
    }

    private async Task DeleteCandidatesAsync(ClusterView view, DisruptionCommand command, CancellationToken cancellationToken)
    {
        foreach (var candidate in command.Candidates)
        {
            if (view.Claims.GetValueOrDefault(candidate.NodeClaim) is not { } claim)
            {
                continue;
            }

            await context.DeleteClaimAsync(claim, command.Reason, "disruption", command.Why, cancellationToken).ConfigureAwait(false);
            context.Metrics.DisruptionActions.WithLabels(command.Method, command.Reason, candidate.NodePool).Inc();
            await context.EventAsync(ClusterEvent.Normal("Node", null, candidate.Name, "DisruptionTerminating",
                $"Disrupting node: {command.Method}/{command.Reason}: {command.Why}"), cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool SameNodes(DisruptionCommand a, DisruptionCommand b) =>
        a.Method == b.Method && a.Candidates.Select(c => c.Name).Order(StringComparer.Ordinal).SequenceEqual(b.Candidates.Select(c => c.Name).Order(StringComparer.Ordinal));

    private static string Subjects(DisruptionCommand command) => string.Join(",", command.Candidates.Select(c => $"Node/{c.Name}"));
}
