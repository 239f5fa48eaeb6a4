using Platform.Infra.Blueprint.Keda;
using Pulumi;
using CustomResource = Pulumi.Kubernetes.ApiExtensions.CustomResource;
using Pulumi.Kubernetes.Helm.V3;

namespace Platform.Infra.Kubernetes;

/// <summary>KEDA, and <see cref="ScaledObject"/> for workloads that scale on GPU metrics (the seeds' pattern).</summary>
public sealed class Keda : ComponentResource
{
    private readonly ProviderResource provider;

    public Keda(string name, KedaArgs args, ComponentResourceOptions? options = null)
        : base("platform:kubernetes:Keda", name, options)
    {
        provider = args.Provider;
        Release = HelmReleases.Create(args.Release, ComponentOptions.Child(this, args.Provider, args.DependsOn));
        Namespace = Output.Create(args.Release.Namespace);
        RegisterOutputs(new Dictionary<string, object?> { ["namespace"] = Namespace });
    }

    /// <summary>The Helm release.</summary>
    public Release Release { get; }

    [Output("namespace")]
    public Output<string> Namespace { get; private set; }

    /// <summary>A ScaledObject built by the blueprint's typed helper, applied once KEDA's CRDs exist.</summary>
    public CustomResource ScaledObject(ScaledObjectSpec spec, CustomResourceOptions? options = null)
    {
        var scaled = ScaledObjects.Create(spec);
        return new CustomResource($"{spec.Namespace}-{spec.Name}", CustomObjectArgs.From(scaled),
            CustomResourceOptions.Merge(new CustomResourceOptions { Provider = provider, DependsOn = [Release] }, options));
    }
}
