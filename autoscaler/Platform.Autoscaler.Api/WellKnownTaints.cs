namespace Platform.Autoscaler.Api;

/// <summary>Taint keys the autoscaler sets or expects.</summary>
public static class WellKnownTaints
{
    /// <summary><c>karpenter.sh/disrupted</c> (NoSchedule): the node is being drained.</summary>
    public const string Disrupted = "karpenter.sh/disrupted";
    /// <summary><c>karpenter.sh/unregistered</c> (NoExecute): set at launch, removed at registration.</summary>
    public const string Unregistered = "karpenter.sh/unregistered";
    /// <summary>
    /// <c>node.kubernetes.io/not-ready</c>: the API server puts it (NoSchedule) on every new node, and the node lifecycle
    /// controller keeps it (NoSchedule, and NoExecute once it evicts) until the node's Ready condition is True.
    /// </summary>
    public const string NotReady = "node.kubernetes.io/not-ready";
    /// <summary><c>node.kubernetes.io/unreachable</c>: the node lifecycle controller's taint for a node whose Ready is Unknown.</summary>
    public const string Unreachable = "node.kubernetes.io/unreachable";
    /// <summary><c>node.cloudprovider.kubernetes.io/uninitialized</c>: kept until the cloud controller manager initializes the node.</summary>
    public const string Uninitialized = "node.cloudprovider.kubernetes.io/uninitialized";
    /// <summary><c>nvidia.com/gpu</c>: the usual taint on GPU NodePools.</summary>
    public const string NvidiaGpu = "nvidia.com/gpu";
    /// <summary><c>aws.amazon.com/neuron</c>: the usual taint on Inferentia and Trainium NodePools.</summary>
    public const string AwsNeuron = "aws.amazon.com/neuron";
}
