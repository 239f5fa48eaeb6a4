using Platform.Autoscaler.Api;
using Platform.Autoscaler.Aws.NodeClasses;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Scheduling;
using Platform.Infra.Blueprint.Tests.TestKit;

namespace Platform.Infra.Blueprint.Tests.NodePools;

/// <summary>
/// One choice for GPU nodes, kept consistent: they boot the EKS AL2023 NVIDIA AMI, which ships the NVIDIA driver and
/// container toolkit, so the GPU Operator installs neither. Which AMI a NodePool's instance types get is decided the
/// way the autoscaler decides it (its alias candidates and the bundled catalog's labels).
/// </summary>
public sealed class GpuAmiTests
{
    [Theory]
    [MemberData(nameof(Stacks.Names), MemberType = typeof(Stacks))]
    public void GpuNodePools_BootTheNvidiaAmi_AndTheGpuOperatorInstallsNoDriverOrToolkit(string stack)
    {
        var settings = Stacks.Settings(stack);
        var blueprint = StackBlueprint.Create(settings);
        var catalog = BundledCatalog.Load();
        var classes = blueprint.NodePools.NodeClasses.ToDictionary(c => c.Metadata.Name);
        var gpuTypesSeen = 0;

        foreach (var pool in blueprint.NodePools.NodePools)
        {
            var template = pool.Spec!.Template!.Spec!;
            var requirements = (template.Requirements ?? [])
                .Where(r => r.Key is not WellKnownLabels.CapacityType and not WellKnownLabels.Zone)
                .Select(r => Requirement.From(r.Key!, r.Operator!, r.Values)).ToList();
            var types = catalog.InstanceTypes.Select(InstanceTypeResolver.Labels)
                .Where(labels => requirements.All(r => r.Admits(labels.GetValueOrDefault(r.Key!)))).ToList();
            var nodeClass = classes[template.NodeClassRef!.Name!];
            var gpuTypes = types.Where(l => l.ContainsKey(WellKnownLabels.InstanceGpuCount)).ToList();
            if (blueprint.NodePools.GpuNodePools.Contains(pool))
            {
                Assert.True(gpuTypes.Count > 0 && gpuTypes.Count == types.Count, $"{pool.Metadata.Name}: a GPU NodePool may launch only GPU types");
            }

            foreach (var labels in gpuTypes)
            {
                var amis = nodeClass.Spec!.AmiSelectorTerms!.SelectMany(term =>
                {
                    Assert.True(term.Alias is not null, $"{nodeClass.Metadata.Name}: GPU nodes need an AMI alias, so the NVIDIA variant is the one chosen for GPU types");
                    var (candidates, error) = AmiAlias.Candidates(term.Alias, settings.KubernetesVersion);
                    Assert.Null(error);
                    return candidates;
                }).Where(c => c.Requirements.All(r => Requirement.From(r.Key!, r.Operator!, r.Values).Admits(labels.GetValueOrDefault(r.Key!)))).ToList();

                var name = labels[WellKnownLabels.InstanceType];
                Assert.NotEmpty(amis);
                Assert.All(amis, ami => Assert.True(ami.Parameter.Contains("/amazon-linux-2023/", StringComparison.Ordinal) && ami.Parameter.Contains("/nvidia/", StringComparison.Ordinal),
                    $"{pool.Metadata.Name}: {name} would boot {ami.Parameter}, not the AL2023 NVIDIA AMI"));
                gpuTypesSeen++;
            }
        }

        Assert.True(gpuTypesSeen > 0);
        var values = blueprint.GpuOperator.Values;
        Assert.False(values.GetProperty("driver").GetProperty("enabled").GetBoolean(), "the NVIDIA AMI ships the driver; the operator's would be a second one");
        Assert.False(values.GetProperty("toolkit").GetProperty("enabled").GetBoolean(), "the NVIDIA AMI ships the container toolkit and configures containerd for it");
    }
}
