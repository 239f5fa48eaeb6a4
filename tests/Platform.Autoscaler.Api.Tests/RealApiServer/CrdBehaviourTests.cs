using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Platform.Tests.Shared;
using static Platform.Autoscaler.Api.Tests.TestKit.Objects;

namespace Platform.Autoscaler.Api.Tests.RealApiServer;

/// <summary>What only a stored object shows: immutability (transition rules), defaults, status and printer columns.</summary>
public sealed class CrdBehaviourTests(CrdApiServer fixture) : IClassFixture<CrdApiServer>
{
    private static string Unique(string stem) => $"{stem}-{Guid.NewGuid().ToString("N")[..8]}";

    private async Task<T> CreateAsync<T>(T manifest)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var (group, plural) = CrdApiServer.Resource(manifest);
        return await fixture.Client.CustomObjects.CreateClusterCustomObjectAsync<T>(manifest, group, "v1", plural);
    }

    private async Task<string> RefusedUpdateAsync<T>(T manifest)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var (group, plural) = CrdApiServer.Resource(manifest);
        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            fixture.Client.CustomObjects.ReplaceClusterCustomObjectAsync(manifest, group, "v1", plural, manifest.Metadata.Name));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        return error.Response.Content;
    }

    [KubeApiServerFact]
    public async Task Update_NodeClaimSpec_RefusedAsImmutable()
    {
        var created = await CreateAsync(Claim() with { Metadata = new V1ObjectMeta { Name = Unique("claim") } });
        var changed = created with { Spec = created.Spec! with { Requirements = [Requirement(WellKnownLabels.InstanceType, Operators.In, "g5.2xlarge")] } };
        Assert.Contains("spec is immutable", await RefusedUpdateAsync(changed), StringComparison.Ordinal);
    }

    [KubeApiServerFact]
    public async Task Update_NodePoolNodeClassRefGroup_RefusedAsImmutable()
    {
        var created = await CreateAsync(Pool(name: Unique("pool")));
        var template = created.Spec!.Template!;
        var changed = created with
        {
            Spec = created.Spec with { Template = template with { Spec = template.Spec! with { NodeClassRef = template.Spec.NodeClassRef! with { Group = "karpenter.azure.com" } } } },
        };
        Assert.Contains("nodeClassRef.group is immutable", await RefusedUpdateAsync(changed), StringComparison.Ordinal);

        // The name may change: only group and kind are fixed.
        var renamed = created with { Spec = created.Spec with { Template = template with { Spec = template.Spec! with { NodeClassRef = template.Spec.NodeClassRef! with { Name = "other" } } } } };
        await fixture.Client.CustomObjects.ReplaceClusterCustomObjectAsync(renamed, NodePool.Group, "v1", NodePool.Plural, renamed.Metadata.Name);
    }

    [KubeApiServerFact]
    public async Task Create_NodePoolWithoutDisruption_GetsKarpenterDefaults()
    {
        var pool = await CreateAsync(Pool(PoolSpec with { Disruption = null }, Unique("defaults")));
        Assert.Equal("0s", pool.Spec!.Disruption!.ConsolidateAfter);
        Assert.Equal(ConsolidationPolicies.WhenEmptyOrUnderutilized, pool.Spec.Disruption.ConsolidationPolicy);
        Assert.Equal("10%", Assert.Single(pool.Spec.Disruption.Budgets!).Nodes);
        Assert.Equal("720h", pool.Spec.Template!.Spec!.ExpireAfter ?? "absent");

        var withoutBudgets = await CreateAsync(Pool(PoolSpec with { Disruption = new Disruption { ConsolidateAfter = "1m" } }, Unique("budgets")));
        Assert.Equal("10%", Assert.Single(withoutBudgets.Spec!.Disruption!.Budgets!).Nodes);
    }

    [KubeApiServerFact]
    public async Task Create_NodeClassWithoutMetadataOptions_GetsImdsV2Defaults()
    {
        var nodeClass = await CreateAsync(NodeClass(ClassSpec with { MetadataOptions = null }, Unique("imds")));
        Assert.Equal(new MetadataOptions { HttpEndpoint = "enabled", HttpProtocolIPv6 = "disabled", HttpPutResponseHopLimit = 1, HttpTokens = "required" }, nodeClass.Spec!.MetadataOptions);
    }

    [KubeApiServerFact]
    public async Task PatchStatus_NodeClaimConditionWithoutReason_Accepted()
    {
        var claim = await CreateAsync(Claim() with { Metadata = new V1ObjectMeta { Name = Unique("status") } });
        var patch = new V1Patch("""{"status":{"conditions":[{"type":"Launched","status":"True","lastTransitionTime":"2024-01-02T03:04:05Z"}]}}""", V1Patch.PatchType.MergePatch);
        var patched = await fixture.Client.CustomObjects.PatchClusterCustomObjectStatusAsync<NodeClaim>(patch, NodeClaim.Group, "v1", NodeClaim.Plural, claim.Metadata.Name);
        Assert.Equal("Launched", Assert.Single(patched.Status!.Conditions!).Type);
    }

    [KubeApiServerFact]
    public async Task KubectlGet_NodePool_NodesColumnReadsStatusNodes()
    {
        var pool = await CreateAsync(Pool(name: Unique("column")));
        var patch = new V1Patch("""{"status":{"nodes":3}}""", V1Patch.PatchType.MergePatch);
        await fixture.Client.CustomObjects.PatchClusterCustomObjectStatusAsync(patch, NodePool.Group, "v1", NodePool.Plural, pool.Metadata.Name);

        Assert.True(KubeApiServer.HasKubectl(), "kubectl is not on PATH");
        var (exit, table) = fixture.Server!.Kubectl(null, "get", "nodepool", pool.Metadata.Name);
        Assert.Equal(0, exit);
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("Warning", StringComparison.Ordinal)).ToList();
        var header = lines.First(l => l.StartsWith("NAME", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var row = lines.First(l => l.StartsWith(pool.Metadata.Name, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("3", row[Array.IndexOf(header, "NODES")]);
    }
}
