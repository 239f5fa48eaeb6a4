namespace Platform.Infra.Blueprint.Keda;

/// <summary>
/// What a GPU-metric ScaledObject needs: the Deployment to scale, the PromQL query and thresholds, the replica range.
/// </summary>
/// <param name="Name">ScaledObject name.</param>
/// <param name="Namespace">Namespace of the ScaledObject and its Deployment.</param>
/// <param name="Deployment">The Deployment to scale.</param>
/// <param name="Query">PromQL returning one number, such as <c>avg(DCGM_FI_DEV_GPU_UTIL{pod=~"model-a-.*"})</c>.</param>
/// <param name="Threshold">Target value per replica.</param>
/// <param name="ActivationThreshold">Below this KEDA scales to <paramref name="MinReplicas"/> only.</param>
/// <param name="MinReplicas">Fewest replicas.</param>
/// <param name="MaxReplicas">Most replicas.</param>
public sealed record ScaledObjectSpec(
    string Name,
    string Namespace,
    string Deployment,
    string Query,
    int Threshold,
    int ActivationThreshold,
    int MinReplicas,
    int MaxReplicas)
{
    /// <summary>Seconds between queries.</summary>
    public int PollingInterval { get; init; } = 15;

    /// <summary>Seconds after the last activation before scaling to zero is allowed.</summary>
    public int CooldownPeriod { get; init; } = 60;
}
