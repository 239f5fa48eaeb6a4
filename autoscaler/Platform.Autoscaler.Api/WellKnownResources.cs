namespace Platform.Autoscaler.Api;

/// <summary>Resource names used in requests, limits and allocatable.</summary>
public static class WellKnownResources
{
    /// <summary>CPU cores.</summary>
    public const string Cpu = "cpu";
    /// <summary>Memory bytes.</summary>
    public const string Memory = "memory";
    /// <summary>Ephemeral storage bytes.</summary>
    public const string EphemeralStorage = "ephemeral-storage";
    /// <summary>Pod count.</summary>
    public const string Pods = "pods";
    /// <summary>Node count (NodePool limits only).</summary>
    public const string Nodes = "nodes";
    /// <summary>NVIDIA GPUs (device plugin).</summary>
    public const string NvidiaGpu = "nvidia.com/gpu";
    /// <summary>Time-sliced NVIDIA GPU replicas when the device plugin renames shared GPUs (renameByDefault).</summary>
    public const string NvidiaGpuShared = "nvidia.com/gpu.shared";
    /// <summary>AMD GPUs.</summary>
    public const string AmdGpu = "amd.com/gpu";
    /// <summary>Habana Gaudi accelerators (dl1).</summary>
    public const string HabanaGaudi = "habana.ai/gaudi";
    /// <summary>Neuron devices (Inferentia, Trainium).</summary>
    public const string AwsNeuron = "aws.amazon.com/neuron";
    /// <summary>Neuron cores.</summary>
    public const string AwsNeuronCore = "aws.amazon.com/neuroncore";
    /// <summary>EFA interfaces.</summary>
    public const string Efa = "vpc.amazonaws.com/efa";
}
