using k8s.Models;
using Platform.Autoscaler.Api;

namespace Platform.Autoscaler.Simulation;

/// <summary>A simulation: the pools, the workloads over time, and the faults, on a virtual clock.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Start">Simulated start (UTC; budgets' cron schedules read it).</param>
/// <param name="Duration">Simulated length.</param>
/// <param name="Step">Clock step between controller passes.</param>
/// <param name="Seed">Seeds every random choice (names, which nodes an interruption hits).</param>
/// <param name="NodePools">NodePools.</param>
/// <param name="NodeClasses">EC2NodeClasses.</param>
/// <param name="Budgets">PodDisruptionBudgets.</param>
/// <param name="Workloads">Deployments and Jobs with their timelines.</param>
/// <param name="Faults">Faults to inject.</param>
public sealed record Scenario(
    string Name,
    DateTimeOffset Start,
    TimeSpan Duration,
    TimeSpan Step,
    int Seed,
    IReadOnlyList<NodePool> NodePools,
    IReadOnlyList<EC2NodeClass> NodeClasses,
    IReadOnlyList<V1PodDisruptionBudget> Budgets,
    IReadOnlyList<WorkloadSpec> Workloads,
    IReadOnlyList<FaultSpec> Faults)
{
    /// <summary>ConfigMaps: the GPU Operator's MIG and device plugin configs the pools' sharing labels point into.</summary>
    public IReadOnlyList<V1ConfigMap> ConfigMaps { get; init; } = [];

    /// <summary>
    /// Alternative sets of manifests, each added to the scenario's own and run on its own, with the same workloads
    /// and faults, to compare their cost; empty for a single run.
    /// </summary>
    public IReadOnlyList<ScenarioVariant> Variants { get; init; } = [];

    /// <summary>The scenario with a variant's manifests added to its own (and no variants).</summary>
    public Scenario With(ScenarioVariant variant) => this with
    {
        Name = $"{Name} / {variant.Name}",
        NodePools = [.. NodePools, .. variant.NodePools],
        NodeClasses = [.. NodeClasses, .. variant.NodeClasses],
        Budgets = [.. Budgets, .. variant.Budgets],
        ConfigMaps = [.. ConfigMaps, .. variant.ConfigMaps],
        Variants = [],
    };
}

/// <summary>One alternative of a scenario: a name and the manifests it adds.</summary>
/// <param name="Name">Its name (a report subfolder is named after it).</param>
/// <param name="NodePools">NodePools.</param>
/// <param name="NodeClasses">EC2NodeClasses.</param>
/// <param name="Budgets">PodDisruptionBudgets.</param>
/// <param name="ConfigMaps">The GPU Operator's ConfigMaps.</param>
public sealed record ScenarioVariant(
    string Name, IReadOnlyList<NodePool> NodePools, IReadOnlyList<EC2NodeClass> NodeClasses, IReadOnlyList<V1PodDisruptionBudget> Budgets,
    IReadOnlyList<V1ConfigMap> ConfigMaps);

/// <summary>A Deployment (replica count over time) or a Job (parallel pods that each run for a while).</summary>
/// <param name="Kind">Deployment or Job.</param>
/// <param name="Namespace">Namespace.</param>
/// <param name="Name">Name.</param>
/// <param name="Template">Pod template.</param>
/// <param name="Replicas">Deployment: replica count from each offset on, in order.</param>
/// <param name="Start">Job: when it is created.</param>
/// <param name="Parallelism">Job: pods.</param>
/// <param name="RunFor">Job: how long each pod runs once bound.</param>
public sealed record WorkloadSpec(
    string Kind, string Namespace, string Name, V1PodTemplateSpec Template,
    IReadOnlyList<(TimeSpan At, int Count)> Replicas, TimeSpan Start, int Parallelism, TimeSpan RunFor)
{
    /// <summary>The Deployment's desired replicas at an offset.</summary>
    public int DesiredAt(TimeSpan offset) => Replicas.LastOrDefault(r => r.At <= offset).Count;
}

/// <summary>A fault: capacity withheld over a window, a spot interruption wave, or node failures.</summary>
/// <param name="Kind">InsufficientCapacity, SpotInterruption or NodeFailure.</param>
/// <param name="At">When (the window's start for InsufficientCapacity).</param>
/// <param name="Until">The window's end (InsufficientCapacity).</param>
/// <param name="InstanceType">Affected instance type, or null for any.</param>
/// <param name="InstanceFamily">Affected family, or null for any.</param>
/// <param name="Zone">Affected zone, or null for any.</param>
/// <param name="CapacityType">Affected capacity type, or null for any.</param>
/// <param name="Count">How many nodes are hit (SpotInterruption, NodeFailure).</param>
public sealed record FaultSpec(string Kind, TimeSpan At, TimeSpan Until, string? InstanceType, string? InstanceFamily, string? Zone, string? CapacityType, int Count);
