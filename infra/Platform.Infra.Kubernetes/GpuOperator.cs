using Pulumi;
using CustomResource = Pulumi.Kubernetes.ApiExtensions.CustomResource;
using Pulumi.Kubernetes.Helm.V3;

namespace Platform.Infra.Kubernetes;

/// <summary>NVIDIA GPU Operator (driver, toolkit, device plugin, GFD, DCGM exporter, MIG manager) and the DCGM scrape.</summary>
public sealed class GpuOperator : ComponentResource
{
    public GpuOperator(string name, GpuOperatorArgs args, ComponentResourceOptions? options = null)
        : base("platform:kubernetes:GpuOperator", name, options)
    {
        Release = HelmReleases.Create(args.Release, ComponentOptions.Child(this, args.Provider, args.DependsOn));
        _ = new CustomResource(args.DcgmServiceMonitor.Name, CustomObjectArgs.From(args.DcgmServiceMonitor),
            ComponentOptions.Child(this, args.Provider, [Release, .. args.DependsOn]));
        Namespace = Output.Create(args.Release.Namespace);
        RegisterOutputs(new Dictionary<string, object?> { ["namespace"] = Namespace });
    }

    /// <summary>The Helm release.</summary>
    public Release Release { get; }

    [Output("namespace")]
    public Output<string> Namespace { get; private set; }
}
