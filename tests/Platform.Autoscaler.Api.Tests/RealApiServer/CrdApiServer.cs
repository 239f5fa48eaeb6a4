using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Platform.Autoscaler.Api.Schema;
using Platform.Tests.Shared;

namespace Platform.Autoscaler.Api.Tests.RealApiServer;

/// <summary>
/// The real API server with our generated CRDs applied and established; no controller manager (these tests only
/// create and dry-run custom resources). Null <see cref="Server"/> where the binaries are absent (the tests skip).
/// </summary>
public sealed class CrdApiServer : IDisposable
{
    public CrdApiServer()
    {
        if (KubeApiServer.SkipReason() is not null)
        {
            return;
        }

        Server = new KubeApiServer(controllerManager: false);
        try
        {
            InstallAsync(Server.Client).GetAwaiter().GetResult();
        }
        catch
        {
            Server.Dispose();
            throw;
        }
    }

    public KubeApiServer? Server { get; }

    public IKubernetes Client => Server!.Client;

    /// <summary>Creates the object with dryRun=All and strict field validation: null when accepted, else the server's message.</summary>
    public async Task<string?> DryRunCreateAsync(object manifest)
    {
        var (group, plural) = Resource(manifest);
        try
        {
            await Client.CustomObjects.CreateClusterCustomObjectAsync(manifest, group, "v1", plural, dryRun: "All", fieldValidation: "Strict").ConfigureAwait(false);
            return null;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest)
        {
            return e.Response.Content;
        }
    }

    public static (string Group, string Plural) Resource(object manifest) => manifest switch
    {
        NodePool => (NodePool.Group, NodePool.Plural),
        NodeClaim => (NodeClaim.Group, NodeClaim.Plural),
        EC2NodeClass => (EC2NodeClass.Group, EC2NodeClass.Plural),
        _ => throw new ArgumentException($"not a Karpenter kind: {manifest.GetType().Name}", nameof(manifest)),
    };

    public void Dispose() => Server?.Dispose();

    private static async Task InstallAsync(IKubernetes client)
    {
        foreach (var crd in CustomResourceDefinitions.Generate())
        {
            await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd.Definition).ConfigureAwait(false);
        }

        // Established: the API server serves the kinds; until then creates answer 404.
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(60);
        foreach (var crd in CustomResourceDefinitions.Generate())
        {
            while (true)
            {
                var live = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(crd.Definition.Metadata.Name).ConfigureAwait(false);
                if (live.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true)
                {
                    break;
                }

                if (TimeProvider.System.GetUtcNow() > deadline)
                {
                    throw new TimeoutException($"{crd.Definition.Metadata.Name} was not established within 60 s");
                }

                await Task.Delay(100).ConfigureAwait(false);
            }
        }
    }
}
