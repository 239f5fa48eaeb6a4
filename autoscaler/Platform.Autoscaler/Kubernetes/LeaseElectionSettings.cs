namespace Platform.Autoscaler.Kubernetes;

/// <summary>Which coordination.k8s.io/v1 Lease the replicas compete for, who this one is, and the election's timing.</summary>
public sealed record LeaseElectionSettings
{
    /// <summary>The Lease's name.</summary>
    public required string LeaseName { get; init; }

    /// <summary>The Lease's namespace (the autoscaler's own).</summary>
    public required string LeaseNamespace { get; init; }

    /// <summary>This replica's identity as written into the Lease (its pod name).</summary>
    public required string Identity { get; init; }

    /// <summary>How long a Lease not renewed keeps others out. The Lease stores whole seconds, so at least one.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps trying to renew before it gives leadership up; shorter than the lease.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The pause between attempts to acquire or renew; shorter than the renew deadline.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Every problem with these settings, each naming the field and what to change; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        foreach (var (field, value) in (ReadOnlySpan<(string, string)>)[(nameof(LeaseName), LeaseName), (nameof(LeaseNamespace), LeaseNamespace), (nameof(Identity), Identity)])
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add($"{field}: required");
            }
        }

        if (LeaseDuration < TimeSpan.FromSeconds(1) || LeaseDuration.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            errors.Add($"{nameof(LeaseDuration)}: {LeaseDuration} must be a whole number of seconds, at least 1 (the Lease stores seconds)");
        }

        if (RenewDeadline <= TimeSpan.Zero || RenewDeadline >= LeaseDuration)
        {
            errors.Add($"{nameof(RenewDeadline)}: {RenewDeadline} must be positive and shorter than {nameof(LeaseDuration)} ({LeaseDuration})");
        }

        if (RetryPeriod <= TimeSpan.Zero || RetryPeriod >= RenewDeadline)
        {
            errors.Add($"{nameof(RetryPeriod)}: {RetryPeriod} must be positive and shorter than {nameof(RenewDeadline)} ({RenewDeadline})");
        }

        return errors;
    }
}
