namespace Platform.Autoscaler.Simulation;

/// <summary>What a simulation came to.</summary>
public sealed record SimulationResult
{
    /// <summary>Scenario name.</summary>
    public required string Scenario { get; init; }

    /// <summary>Simulated hours.</summary>
    public required double Hours { get; init; }

    /// <summary>Real seconds the run took.</summary>
    public required double Seconds { get; init; }

    /// <summary>Pods bound over the run.</summary>
    public required int PodsPlaced { get; init; }

    /// <summary>Pods still pending at the end.</summary>
    public required int PodsUnplaced { get; init; }

    /// <summary>The pods still pending at the end, each with why (<see cref="PodsUnplaced"/> of them).</summary>
    public IReadOnlyList<PendingPod> Pending { get; init; } = [];

    /// <summary>Invariant breaches (limits, budgets, PDBs, do-not-disrupt, bad bindings).</summary>
    public required IReadOnlyList<string> Violations { get; init; }

    /// <summary>Dollars spent.</summary>
    public required double Cost { get; init; }

    /// <summary>Share of instance-hours on spot.</summary>
    public required double SpotShare { get; init; }

    /// <summary>Launch tiers that found no capacity and fell to the next.</summary>
    public required int Fallbacks { get; init; }

    /// <summary>Spot interruptions acted on.</summary>
    public required int InterruptionsHandled { get; init; }

    /// <summary>Nodes removed or replaced by consolidation.</summary>
    public required int Consolidations { get; init; }

    /// <summary>Pending time, median and 99th percentile, seconds.</summary>
    public required (double P50, double P99) PendingSeconds { get; init; }

    /// <summary>Launches by instance type and capacity type.</summary>
    public required IReadOnlyDictionary<string, int> Launches { get; init; }

    /// <summary>Hourly cost and node count over time.</summary>
    public required IReadOnlyList<TimelinePoint> Timeline { get; init; }

    /// <summary>Every decision, in order.</summary>
    public required IReadOnlyList<string> Decisions { get; init; }
}

/// <summary>One sample of the timeline.</summary>
/// <param name="Hour">Simulated hours since the start.</param>
/// <param name="Nodes">Running instances.</param>
/// <param name="SpotNodes">Of those, spot.</param>
/// <param name="GpuNodes">Of those, types with GPUs or other accelerators (Neuron); the rest are CPU-only.</param>
/// <param name="PodsBound">Pods bound to a node.</param>
/// <param name="PodsPending">Pods waiting for one.</param>
/// <param name="HourlyCost">What the running instances cost per hour.</param>
/// <param name="Spent">Dollars spent since the start (billed per step, as the run's total is).</param>
public sealed record TimelinePoint(double Hour, int Nodes, int SpotNodes, int GpuNodes, int PodsBound, int PodsPending, double HourlyCost, double Spent = 0);
