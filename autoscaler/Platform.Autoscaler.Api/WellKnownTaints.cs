namespace Platform.Autoscaler.Api;

/// <summary>Taint keys the autoscaler sets or expects.</summary>
public static class WellKnownTaints
{
    /// <summary><c>karpenter.sh/disrupted</c> (NoSchedule): the node is being drained.</summary>
    public const string Disrupted = "karpenter.sh/disrupted";
    /// <summary><c>karpenter.sh/unregistered</c> (NoExecute): set at launch, removed at registration.</summary>
    public const string Unregistered = "karpenter.sh/unregistered";
    /// <summary><c>nvidia.com/gpu</c>: the usual taint on GPU NodePools.</summary>
    public const string NvidiaGpu = "nvidia.com/gpu";
    /// <summary><c>aws.amazon.com/neuron</c>: the usual taint on Inferentia and Trainium NodePools.</summary>
    public const string AwsNeuron = "aws.amazon.com/neuron";
}
