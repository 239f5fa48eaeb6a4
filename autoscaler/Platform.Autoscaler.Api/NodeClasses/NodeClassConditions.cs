namespace Platform.Autoscaler.Api;

/// <summary>
/// The EC2NodeClass status conditions Karpenter's AWS provider sets: one per resolved dependency, and Ready over
/// them all. Readers use <see cref="IsNotReady"/>: a class whose Ready is False for its current generation is not
/// used; one whose status was never written (Unknown) still is, since every launch resolves its class afresh.
/// </summary>
public static class NodeClassConditions
{
    /// <summary>All dependencies resolved.</summary>
    public const string Ready = "Ready";

    /// <summary>The subnet selectors matched at least one subnet.</summary>
    public const string SubnetsReady = "SubnetsReady";

    /// <summary>The security group selectors matched at least one group.</summary>
    public const string SecurityGroupsReady = "SecurityGroupsReady";

    /// <summary>The AMI selectors matched at least one AMI.</summary>
    public const string AmisReady = "AMIsReady";

    /// <summary>An instance profile is named (by spec.instanceProfile, or made from spec.role).</summary>
    public const string InstanceProfileReady = "InstanceProfileReady";

    /// <summary>The dependencies, in the order they are written.</summary>
    public static IReadOnlyList<string> Dependents { get; } = [SubnetsReady, SecurityGroupsReady, AmisReady, InstanceProfileReady];

    /// <summary>
    /// The status with a condition per dependency, as a resolver reports them: True, or False naming the field that
    /// matched nothing (AMI errors, such as an unsupported alias, make AMIsReady False too); no transition times yet.
    /// </summary>
    public static EC2NodeClassStatus WithDependents(EC2NodeClassStatus status, IReadOnlyList<string>? amiErrors = null)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status with
        {
            Conditions =
            [
                Dependent(SubnetsReady, status.Subnets is { Count: > 0 }, "SubnetsNotFound", "spec.subnetSelectorTerms matched no subnet"),
                Dependent(SecurityGroupsReady, status.SecurityGroups is { Count: > 0 }, "SecurityGroupsNotFound", "spec.securityGroupSelectorTerms matched no security group"),
                Dependent(AmisReady, status.Amis is { Count: > 0 } && amiErrors is not { Count: > 0 }, "AMINotFound",
                    amiErrors is { Count: > 0 } ? $"spec.amiSelectorTerms: {string.Join("; ", amiErrors)}" : "spec.amiSelectorTerms matched no AMI"),
                Dependent(InstanceProfileReady, status.InstanceProfile is { Length: > 0 }, "InstanceProfileNotFound", "neither spec.role nor spec.instanceProfile is set"),
            ],
        };
    }

    /// <summary>True when the class's Ready condition is False, unless it was set for an earlier generation.</summary>
    public static bool IsNotReady(EC2NodeClass nodeClass)
    {
        ArgumentNullException.ThrowIfNull(nodeClass);
        var ready = nodeClass.Status?.Conditions?.FirstOrDefault(c => c.Type == Ready);
        // Without both generations (a hand-written file) staleness cannot be told: the condition counts.
        return ready is { Status: "False" }
            && (ready.ObservedGeneration is null || nodeClass.Metadata?.Generation is null || ready.ObservedGeneration == nodeClass.Metadata.Generation);
    }

    /// <summary>"Type: message" for every condition of <paramref name="status"/> that is not True, Ready aside.</summary>
    public static IReadOnlyList<string> Problems(EC2NodeClassStatus? status) =>
        [.. (status?.Conditions ?? []).Where(c => c.Type != Ready && c.Status != "True").Select(c => $"{c.Type}: {c.Message}")];

    private static Condition Dependent(string type, bool ready, string reason, string message) =>
        ready ? Condition.True(type) : Condition.False(type, reason, message);
}
