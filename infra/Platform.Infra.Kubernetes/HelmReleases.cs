using Platform.Infra.Blueprint.Helm;
using Pulumi;
using Pulumi.Kubernetes.Helm.V3;
using Pulumi.Kubernetes.Types.Inputs.Helm.V3;

namespace Platform.Infra.Kubernetes;

/// <summary>Creates a Helm release from the blueprint's chart, version, namespace and values.</summary>
internal static class HelmReleases
{
    public static Release Create(HelmRelease release, CustomResourceOptions options)
    {
        var values = release.Values.EnumerateObject().ToDictionary(p => p.Name, p => (object)p.Value.Clone());
        return new Release(release.Name, new ReleaseArgs
        {
            Name = release.Name,
            Chart = release.Chart,
            Version = release.Version,
            Namespace = release.Namespace,
            CreateNamespace = true,
            RepositoryOpts = new RepositoryOptsArgs { Repo = release.Repository },
            Values = values,
            // A failed upgrade rolls back instead of leaving half a release; operators may take minutes to settle.
            Atomic = true,
            CleanupOnFail = true,
            Timeout = 900,
        }, options);
    }
}
