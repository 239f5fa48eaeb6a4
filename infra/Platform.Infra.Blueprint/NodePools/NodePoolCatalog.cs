using System.Globalization;
using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Infra.Blueprint.GpuSharing;
using Platform.Infra.Blueprint.Iam;
using Platform.Infra.Blueprint.Network;
using Platform.Infra.Blueprint.Settings;

namespace Platform.Infra.Blueprint.NodePools;

/// <summary>
/// Each environment's NodePools, after the seeds: GPU inference tiered by weight (A10G spot 100, T4 spot 50, A10G
/// on-demand 10), a training pool, an inference pool, a CPU pool, the pools whose GPUs are shared
/// (<see cref="GpuSharingPlan"/>: MIG inference where the MIG manager runs, time-sliced A10G/L4); and their
/// EC2NodeClasses. Limits, the training capacity type and the disruption budgets come from the settings.
/// </summary>
public static class NodePoolCatalog
{
    /// <summary>Taint that keeps everything but training jobs off training nodes (they tolerate it explicitly).</summary>
    public const string TrainingTaintKey = "gpu-platform/training";

    /// <summary>Builds the set (not yet validated: see <see cref="NodePoolValidator"/>).</summary>
    public static NodePoolSet Create(StackSettings settings)
    {
        var limits = settings.NodePools.Limits;
        var gpuBudgets = GpuBudgets(settings.Budgets);
        var sharing = GpuSharingPlan.For(settings);
        NodePool[] pools =
        [
            GpuTier(NodePoolNames.Tier1G5Spot, 100, WellKnownLabels.CapacityTypes.Spot, "a10g", limits.Tier1SpotGpus, gpuBudgets),
            GpuTier(NodePoolNames.Tier2G4dnSpot, 50, WellKnownLabels.CapacityTypes.Spot, "t4", limits.Tier2SpotGpus, gpuBudgets),
            GpuTier(NodePoolNames.Tier3G5OnDemand, 10, WellKnownLabels.CapacityTypes.OnDemand, "a10g", limits.Tier3OnDemandGpus, gpuBudgets),
            Training(settings),
            Inference(limits.InferenceGpus, gpuBudgets),
            .. sharing.Pools.Select(p => Shared(p, gpuBudgets)),
            Cpu(limits, settings.Budgets),
        ];
        EC2NodeClass[] classes =
        [
            NodeClass(settings, NodePoolNames.GpuNodeClass, "gpu", volumeGi: 200, iops: 6000, throughput: 250, efa: false),
            NodeClass(settings, NodePoolNames.TrainingNodeClass, "gpu-training", volumeGi: 500, iops: 16000, throughput: 1000, efa: true),
            NodeClass(settings, NodePoolNames.DefaultNodeClass, "cpu", volumeGi: 100, iops: 3000, throughput: 125, efa: false),
        ];
        return new NodePoolSet([.. classes], [.. pools]) { GpuSharing = sharing };
    }

    private static NodePool GpuTier(string name, int weight, string capacityType, string gpuName, int gpus, List<Budget> budgets) =>
        Pool(name, weight, new Dictionary<string, string> { ["node-type"] = "gpu", ["workload"] = "inference" },
            [
                In(WellKnownLabels.CapacityType, capacityType),
                In(WellKnownLabels.InstanceGpuName, gpuName),
                In(WellKnownLabels.InstanceCategory, "g"),
                In(WellKnownLabels.Arch, "amd64"),
            ],
            [GpuTaint()], NodePoolNames.GpuNodeClass, expireAfter: "336h",
            Limits((WellKnownResources.NvidiaGpu, gpus)),
            new Disruption { ConsolidationPolicy = ConsolidationPolicies.WhenEmpty, ConsolidateAfter = "5m", Budgets = budgets });

    private static NodePool Training(StackSettings settings)
    {
        // Training checkpoints are expensive to lose: nothing voluntary disrupts these nodes but drift, one at a time,
        // and (with business hours set) never during them.
        List<Budget> budgets = [new Budget { Nodes = "0", Reasons = [DisruptionReasons.Empty, DisruptionReasons.Underutilized] }, new Budget { Nodes = "1", Reasons = [DisruptionReasons.Drifted] }];
        if (settings.Budgets.BusinessHours is { } hours)
        {
            budgets.Add(new Budget { Nodes = "0", Schedule = hours.Schedule, Duration = hours.Duration });
        }

        return Pool(NodePoolNames.Training, 90, new Dictionary<string, string> { ["node-type"] = "gpu-training", ["workload"] = "training" },
            [
                In(WellKnownLabels.CapacityType, settings.NodePools.TrainingCapacityType),
                In(WellKnownLabels.InstanceGpuName, "a100", "h100", "a10g"),
                new NodeSelectorRequirementWithMinValues { Key = WellKnownLabels.InstanceGpuCount, Operator = Operators.Gt, Values = ["0"] },
                In(WellKnownLabels.Arch, "amd64"),
            ],
            [GpuTaint(), new Taint { Key = TrainingTaintKey, Value = "true", Effect = TaintEffects.NoSchedule }],
            NodePoolNames.TrainingNodeClass, expireAfter: "720h",
            Limits((WellKnownResources.NvidiaGpu, settings.NodePools.Limits.TrainingGpus)),
            new Disruption { ConsolidationPolicy = ConsolidationPolicies.WhenEmpty, ConsolidateAfter = "30m", Budgets = budgets });
    }

    private static NodePool Inference(int gpus, List<Budget> budgets) =>
        Pool(NodePoolNames.Inference, 60, new Dictionary<string, string> { ["node-type"] = "gpu-inference", ["workload"] = "inference" },
            [
                In(WellKnownLabels.InstanceGpuName, "t4", "a10g", "l4"),
                In(WellKnownLabels.CapacityType, WellKnownLabels.CapacityTypes.Spot, WellKnownLabels.CapacityTypes.OnDemand),
                In(WellKnownLabels.InstanceSize, "xlarge", "2xlarge", "4xlarge"),
                In(WellKnownLabels.Arch, "amd64"),
            ],
            [GpuTaint()], NodePoolNames.GpuNodeClass, expireAfter: "336h",
            Limits((WellKnownResources.NvidiaGpu, gpus)),
            new Disruption { ConsolidationPolicy = ConsolidationPolicies.WhenEmptyOrUnderutilized, ConsolidateAfter = "2m", Budgets = budgets });

    /// <summary>A pool whose GPUs are shared: its labels are the plan's, the two sharing labels among them.</summary>
    private static NodePool Shared(SharedGpuPool pool, List<Budget> budgets) =>
        Pool(pool.Name, pool.Weight, pool.Labels.Concat(pool.Spec.ToLabels()).ToDictionary(StringComparer.Ordinal),
            [
                In(WellKnownLabels.InstanceFamily, [.. pool.InstanceFamilies]),
                In(WellKnownLabels.InstanceGpuName, [.. pool.Gpus.Select(g => g.Name).Distinct()]),
                In(WellKnownLabels.CapacityType, [.. pool.CapacityTypes]),
                In(WellKnownLabels.Arch, "amd64"),
            ],
            [GpuTaint()], NodePoolNames.GpuNodeClass, expireAfter: "336h",
            Limits((pool.LimitResource, pool.Limit)),
            new Disruption { ConsolidationPolicy = ConsolidationPolicies.WhenEmptyOrUnderutilized, ConsolidateAfter = "2m", Budgets = budgets });

    private static NodePool Cpu(NodePoolLimits limits, BudgetSettings budgets) =>
        Pool(NodePoolNames.Cpu, 20, new Dictionary<string, string> { ["node-type"] = "cpu" },
            [
                In(WellKnownLabels.InstanceCategory, "c", "m", "r"),
                new NodeSelectorRequirementWithMinValues { Key = WellKnownLabels.InstanceGeneration, Operator = Operators.Gt, Values = ["5"] },
                In(WellKnownLabels.CapacityType, WellKnownLabels.CapacityTypes.Spot, WellKnownLabels.CapacityTypes.OnDemand),
                In(WellKnownLabels.Arch, "amd64", "arm64"),
            ],
            taints: null, NodePoolNames.DefaultNodeClass, expireAfter: "720h",
            new Dictionary<string, ResourceQuantity>
            {
                [WellKnownResources.Cpu] = new(limits.CpuCores.ToString(CultureInfo.InvariantCulture)),
                [WellKnownResources.Memory] = new(limits.CpuMemory),
            },
            new Disruption { ConsolidationPolicy = ConsolidationPolicies.WhenEmptyOrUnderutilized, ConsolidateAfter = "1m", Budgets = [new Budget { Nodes = budgets.DefaultNodes }] });

    private static List<Budget> GpuBudgets(BudgetSettings settings)
    {
        List<Budget> budgets = [new Budget { Nodes = settings.DefaultNodes }];
        if (settings.BusinessHours is { } hours)
        {
            budgets.Add(new Budget { Nodes = "0", Schedule = hours.Schedule, Duration = hours.Duration });
        }

        return budgets;
    }

    private static NodePool Pool(string name, int weight, Dictionary<string, string> labels, List<NodeSelectorRequirementWithMinValues> requirements,
        List<Taint>? taints, string nodeClass, string expireAfter, IDictionary<string, ResourceQuantity> limits, Disruption disruption) =>
        new()
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new NodePoolSpec
            {
                Weight = weight,
                Template = new NodeClaimTemplate
                {
                    Metadata = new NodeClaimTemplateMetadata { Labels = labels },
                    Spec = new NodeClaimTemplateSpec
                    {
                        Requirements = requirements,
                        Taints = taints,
                        NodeClassRef = new NodeClassReference { Group = EC2NodeClass.Group, Kind = EC2NodeClass.KindName, Name = nodeClass },
                        ExpireAfter = expireAfter,
                    },
                },
                Limits = limits,
                Disruption = disruption,
            },
        };

    private static EC2NodeClass NodeClass(StackSettings settings, string name, string nodeType, int volumeGi, int iops, int throughput, bool efa)
    {
        var cluster = settings.ClusterName;
        var subnetTags = new Dictionary<string, string> { [WellKnownTags.Discovery] = cluster, ["network-type"] = "private" };
        if (efa)
        {
            subnetTags[NetworkPlan.EfaSubnetTag] = "true";
        }

        return new EC2NodeClass
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new EC2NodeClassSpec
            {
                AmiSelectorTerms = [new AmiSelectorTerm { Alias = "al2023@latest" }],
                Role = IamPolicies.NodeRoleName(settings),
                SubnetSelectorTerms = [new SubnetSelectorTerm { Tags = subnetTags }],
                SecurityGroupSelectorTerms = [new SecurityGroupSelectorTerm { Tags = new Dictionary<string, string> { [WellKnownTags.Discovery] = cluster } }],
                BlockDeviceMappings =
                [
                    new BlockDeviceMapping
                    {
                        DeviceName = "/dev/xvda",
                        Ebs = new BlockDevice
                        {
                            VolumeSize = new ResourceQuantity($"{volumeGi}Gi"),
                            VolumeType = "gp3",
                            Iops = iops,
                            Throughput = throughput,
                            Encrypted = true,
                            DeleteOnTermination = true,
                        },
                    },
                ],
                // IMDSv2 only; hop limit 2 so pods on the node's network can still reach it through the CNI.
                MetadataOptions = new MetadataOptions { HttpEndpoint = "enabled", HttpTokens = "required", HttpPutResponseHopLimit = 2 },
                Tags = new Dictionary<string, string>
                {
                    ["Environment"] = settings.Environment,
                    ["NodeType"] = nodeType,
                    ["ManagedBy"] = "platform-autoscaler",
                },
            },
        };
    }

    private static NodeSelectorRequirementWithMinValues In(string key, params string[] values) =>
        new() { Key = key, Operator = Operators.In, Values = values };

    private static Taint GpuTaint() => new() { Key = WellKnownTaints.NvidiaGpu, Value = "true", Effect = TaintEffects.NoSchedule };

    private static Dictionary<string, ResourceQuantity> Limits(params (string Resource, int Value)[] limits) =>
        limits.ToDictionary(l => l.Resource, l => new ResourceQuantity(l.Value.ToString(CultureInfo.InvariantCulture)));
}
