using k8s;
using Platform.Autoscaler.Api.Schema;
using static Platform.Autoscaler.Tests.Controllers.ControllerKit;

namespace Platform.Autoscaler.Tests.RealApiServer;

/// <summary>What the real API server tests of the controllers set up alike: the CRDs, a pending pod, and waiting.</summary>
internal static class RealCluster
{
    /// <summary>How long any one wait may take.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>Creates the generated CRDs and waits until the server serves them.</summary>
    public static async Task InstallCrdsAsync(IKubernetes client)
    {
        foreach (var crd in CustomResourceDefinitions.Generate())
        {
            await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd.Definition);
        }

        await UntilAsync(async () => (await client.ApiextensionsV1.ListCustomResourceDefinitionAsync()).Items
            .Count(c => c.Status?.Conditions?.Any(x => x.Type == "Established" && x.Status == "True") == true) == 3, "the CRDs to be established");
    }

    /// <summary>A pending pod of the ControllerKit's shape in <paramref name="ns"/>.</summary>
    public static async Task CreatePendingPodAsync(IKubernetes client, string ns, string name)
    {
        var pod = Pod(name);
        pod.Metadata.NamespaceProperty = ns;
        pod.Metadata.Uid = null;
        pod.Status = null;
        pod.Spec.Containers[0].Image = "registry.k8s.io/pause:3.9";
        // The namespace's default ServiceAccount, which admission wants, comes from the controller manager.
        await UntilAsync(async () =>
        {
            try
            {
                await client.CoreV1.CreateNamespacedPodAsync(pod, ns);
                return true;
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Forbidden)
            {
                return false;
            }
        }, "the pending pod to be admitted");
    }

    /// <summary>Polls <paramref name="done"/> every 250 ms; throws once <see cref="Patience"/> has passed.</summary>
    public static async Task UntilAsync(Func<Task<bool>> done, string what)
    {
        var deadline = TimeProvider.System.GetUtcNow() + Patience;
        while (!await done())
        {
            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"waited {Patience.TotalSeconds} s for {what}");
            }

            await Task.Delay(250);
        }
    }
}
