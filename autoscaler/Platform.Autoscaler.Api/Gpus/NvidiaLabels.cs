namespace Platform.Autoscaler.Api.Gpus;

/// <summary>
/// Node labels the NVIDIA GPU Operator reads or writes (gpu-operator v25.3.2: the MIG manager and the device plugin's
/// config manager). A NodePool's template sets the first two; the MIG manager writes the state.
/// </summary>
public static class NvidiaLabels
{
    /// <summary><c>nvidia.com/mig.config</c>: the MIG layout (a name in the MIG manager's config) the node's GPUs get.</summary>
    public const string MigConfig = "nvidia.com/mig.config";

    /// <summary><c>nvidia.com/mig.config.state</c>: the MIG manager's progress: pending, rebooting, success or failed.</summary>
    public const string MigConfigState = "nvidia.com/mig.config.state";

    /// <summary><c>nvidia.com/device-plugin.config</c>: the entry of the device plugin's config the node runs with.</summary>
    public const string DevicePluginConfig = "nvidia.com/device-plugin.config";

    /// <summary>The values of <see cref="MigConfigState"/>.</summary>
    public static class MigConfigStates
    {
        /// <summary>The MIG manager is applying the layout.</summary>
        public const string Pending = "pending";

        /// <summary>The MIG manager rebooted the node to apply it.</summary>
        public const string Rebooting = "rebooting";

        /// <summary>The layout is applied.</summary>
        public const string Success = "success";

        /// <summary>The layout could not be applied.</summary>
        public const string Failed = "failed";
    }
}
