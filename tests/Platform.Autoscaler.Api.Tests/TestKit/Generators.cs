using FsCheck;
using FsCheck.Fluent;
using k8s.Models;
using Platform.Autoscaler.Api;

namespace Platform.Autoscaler.Api.Tests.TestKit;

/// <summary>FsCheck generators of valid API objects, covering every field kind (maps, lists, quantities, optional fields).</summary>
internal static class Generators
{
    private static Gen<string> Token => Gen.Elements("a", "b1", "ml", "team-x", "g5", "gpu.large", "x_y");

    private static Gen<T?> Optional<T>(Gen<T> gen) where T : class =>
        from present in Gen.Elements(true, true, false)
        from value in gen
        select present ? value : null;

    private static Gen<IList<T>?> OptionalList<T>(Gen<T> gen, int max) =>
        from present in Gen.Elements(true, true, false)
        from items in Gen.Choose(1, max).SelectMany(n => Gen.ArrayOf(gen, n))
        select present ? [.. items] : (IList<T>?)null;

    private static Gen<IDictionary<string, string>?> Labels =>
        from present in Gen.Elements(true, true, false)
        from keys in Gen.ListOf(Token)
        from value in Token
        select present ? keys.Distinct().ToDictionary(k => "example.com/" + k, _ => value) : (IDictionary<string, string>?)null;

    private static Gen<NodeSelectorRequirementWithMinValues> InRequirement =>
        from key in Gen.Elements(WellKnownLabels.InstanceFamily, WellKnownLabels.Zone, "example.com/team")
        from values in Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(Token, n)).Select(v => v.Distinct().ToArray())
        from min in Gen.Elements<int?>(null, 1, values.Length)
        select new NodeSelectorRequirementWithMinValues { Key = key, Operator = Operators.In, Values = [.. values], MinValues = min };

    private static Gen<NodeSelectorRequirementWithMinValues> NumericRequirement =>
        from key in Gen.Elements(WellKnownLabels.InstanceGeneration, WellKnownLabels.InstanceCpu)
        from op in Gen.Elements(Operators.Gt, Operators.Lt, Operators.Gte, Operators.Lte)
        from value in Gen.Choose(0, 64)
        select new NodeSelectorRequirementWithMinValues { Key = key, Operator = op, Values = [value.ToString(System.Globalization.CultureInfo.InvariantCulture)] };

    public static Gen<NodeSelectorRequirementWithMinValues> Requirement =>
        Gen.OneOf(
            InRequirement,
            NumericRequirement,
            Gen.Elements(Operators.Exists, Operators.DoesNotExist).Select(op => new NodeSelectorRequirementWithMinValues { Key = WellKnownLabels.InstanceGpuName, Operator = op }));

    private static Gen<Taint> Taint =>
        from key in Gen.Elements(WellKnownTaints.NvidiaGpu, WellKnownTaints.AwsNeuron, "example.com/dedicated")
        from value in Optional(Token)
        from effect in Gen.Elements(TaintEffects.NoSchedule, TaintEffects.PreferNoSchedule, TaintEffects.NoExecute)
        select new Taint { Key = key, Value = value, Effect = effect };

    private static Gen<IList<Taint>?> Taints => OptionalList(Taint, 3).Select(l => (IList<Taint>?)l?.DistinctBy(t => (t.Key, t.Effect)).ToList());

    private static Gen<Budget> Budget =>
        from nodes in Gen.Elements("0", "1", "10%", "100%")
        from window in Gen.Elements<(string?, string?)>((null, null), ("0 9 * * mon-fri", "8h"), ("@daily", "1h30m"))
        from reasons in OptionalList(Gen.Elements(DisruptionReasons.All.ToArray()), 1)
        select new Budget { Nodes = nodes, Schedule = window.Item1, Duration = window.Item2, Reasons = reasons };

    private static Gen<IDictionary<string, ResourceQuantity>?> Limits =>
        from present in Gen.Elements(true, true, false)
        from cpu in Gen.Choose(1, 4000)
        from memory in Gen.Choose(1, 64)
        from unit in Gen.Elements("Gi", "Ti", "M")
        select present
            ? new Dictionary<string, ResourceQuantity>
            {
                ["cpu"] = new(cpu.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ["memory"] = new($"{memory}{unit}"),
                ["nvidia.com/gpu"] = new(memory.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            }
            : (IDictionary<string, ResourceQuantity>?)null;

    public static Gen<NodePool> NodePool =>
        from name in Gen.Elements("gpu", "gpu-spot", "cpu.system", "inference-a10g")
        from labels in Labels
        from requirements in Gen.Choose(1, 5).SelectMany(n => Gen.ArrayOf(Requirement, n))
        from taints in Taints
        from startupTaints in Gen.Elements<IList<Taint>?>(null, [new Taint { Key = "example.com/not-ready", Effect = TaintEffects.NoExecute }])
        from expire in Gen.Elements<string?>(null, "720h", "Never", "1h30m")
        from grace in Gen.Elements<string?>(null, "48h", "30s")
        from policy in Gen.Elements<string?>(null, ConsolidationPolicies.WhenEmpty, ConsolidationPolicies.WhenEmptyOrUnderutilized)
        from after in Gen.Elements("0s", "30s", "Never", "1h")
        from budgets in OptionalList(Budget, 3)
        from limits in Limits
        from weight in Gen.Elements<int?>(null, 1, 50, 100)
        select new NodePool
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new NodePoolSpec
            {
                Template = new NodeClaimTemplate
                {
                    Metadata = labels is null ? null : new NodeClaimTemplateMetadata { Labels = labels },
                    Spec = new NodeClaimTemplateSpec
                    {
                        Requirements = [.. requirements],
                        Taints = taints,
                        StartupTaints = startupTaints?.Any(s => taints?.Any(t => t.Key == s.Key && t.Effect == s.Effect) == true) == true ? null : startupTaints,
                        NodeClassRef = new NodeClassReference { Group = EC2NodeClass.Group, Kind = EC2NodeClass.KindName, Name = "default" },
                        ExpireAfter = expire,
                        TerminationGracePeriod = grace,
                    },
                },
                Disruption = new Disruption { ConsolidationPolicy = policy, ConsolidateAfter = after, Budgets = budgets },
                Limits = limits,
                Weight = weight,
            },
        };

    public static Gen<EC2NodeClass> NodeClass =>
        from alias in Gen.Elements("al2023@latest", "al2023@v20240807", "al2023@v20250116")
        from tags in Labels
        from size in Gen.Choose(20, 500)
        from hop in Gen.Elements<long?>(null, 1, 2)
        from maxPods in Gen.Elements<int?>(null, 58, 110)
        select new EC2NodeClass
        {
            Metadata = new V1ObjectMeta { Name = "default" },
            Spec = new EC2NodeClassSpec
            {
                Role = "KarpenterNodeRole",
                AmiSelectorTerms = [new AmiSelectorTerm { Alias = alias }],
                SubnetSelectorTerms = [new SubnetSelectorTerm { Tags = new Dictionary<string, string> { ["karpenter.sh/discovery"] = "c" } }],
                SecurityGroupSelectorTerms = [new SecurityGroupSelectorTerm { Id = "sg-0abc" }],
                Tags = tags,
                BlockDeviceMappings = [new BlockDeviceMapping { DeviceName = "/dev/xvda", RootVolume = true, Ebs = new BlockDevice { VolumeSize = new ResourceQuantity($"{size}Gi"), VolumeType = "gp3", Encrypted = true } }],
                MetadataOptions = hop is null ? null : new MetadataOptions { HttpTokens = "required", HttpPutResponseHopLimit = hop },
                Kubelet = maxPods is null ? null : new KubeletConfiguration { MaxPods = maxPods, CpuCfsQuota = true },
            },
        };
}
