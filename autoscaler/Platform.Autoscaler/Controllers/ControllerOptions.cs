namespace Platform.Autoscaler.Controllers;

/// <summary>The controllers' timings, with Karpenter's defaults.</summary>
public sealed record ControllerOptions
{
    /// <summary>Tags instances and names the cluster in events.</summary>
    public string ClusterName { get; init; } = "platform";

    /// <summary>A batch of pending pods closes once no new pod arrived for this long.</summary>
    public TimeSpan BatchIdle { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A batch closes at the latest this long after its first pod.</summary>
    public TimeSpan BatchMax { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A launched NodeClaim whose node has not registered by then is deleted and its pods planned again.</summary>
    public TimeSpan RegistrationTtl { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long a registered node whose GPUs are shared may take to advertise them (the MIG manager repartitions after
    /// boot, a reboot included) before it is taken as it is, with a mismatch event, instead of as its claim expects.
    /// </summary>
    public TimeSpan GpuSharingTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a disruption decision waits before it is checked again and carried out.</summary>
    public TimeSpan ValidationDelay { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>A replacement that has not initialized by then abandons its command.</summary>
    public TimeSpan ReplacementTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Time between disruption passes.</summary>
    public TimeSpan DisruptionInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one disruption search may take before it returns what it has.</summary>
    public TimeSpan DisruptionSearchLimit { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time between garbage-collection passes.</summary>
    public TimeSpan GarbageCollectionInterval { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long an instance may run without a NodeClaim before it is garbage.</summary>
    public TimeSpan GarbageGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often launch templates no EC2NodeClass uses any more are looked for and deleted.</summary>
    public TimeSpan LaunchTemplateCleanupInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How many launches run at once.</summary>
    public int LaunchParallelism { get; init; } = 16;

    /// <summary>At most this many instance types are written into a NodeClaim's requirements (Karpenter: 60).</summary>
    public int MaxInstanceTypesPerClaim { get; init; } = 60;

    /// <summary>
    /// How long the provisioner may spend improving a batch's greedy plan (re-packing its new claims), on the context's
    /// clock; null leaves only the solver's fixed work limits, so the same batch always gives the same plan.
    /// </summary>
    public TimeSpan? PackingBudget { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Seeds the NodeClaim name suffixes.</summary>
    public int NameSeed { get; init; } = Environment.ProcessId;
}
