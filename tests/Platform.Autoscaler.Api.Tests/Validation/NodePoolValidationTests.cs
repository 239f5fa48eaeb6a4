using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Tests.TestKit;
using static Platform.Autoscaler.Api.Tests.TestKit.Objects;

namespace Platform.Autoscaler.Api.Tests.Validation;

public sealed class NodePoolValidationTests
{
    [Fact]
    public void Validate_CompletePool_NoErrors() => Assert.Empty(Read.Errors(Pool()));

    public static TheoryData<string, NodePool, string, string> Broken => new()
    {
        { "nodeClassRef missing", PoolWith(TemplateSpec with { NodeClassRef = null }), "spec.template.spec.nodeClassRef", "required" },
        { "nodeClassRef without group", PoolWith(TemplateSpec with { NodeClassRef = TemplateSpec.NodeClassRef! with { Group = null } }), "spec.template.spec.nodeClassRef.group", "required" },
        { "nodeClassRef of another cloud", PoolWith(TemplateSpec with { NodeClassRef = TemplateSpec.NodeClassRef! with { Group = "karpenter.azure.com", Kind = "AKSNodeClass" } }), "spec.template.spec.nodeClassRef.group", "unsupported node class group" },
        { "requirements missing", PoolWith(TemplateSpec with { Requirements = null }), "spec.template.spec.requirements", "required" },
        { "template missing", Pool(PoolSpec with { Template = null }), "spec.template", "required" },
        { "template spec missing", Pool(PoolSpec with { Template = PoolSpec.Template! with { Spec = null } }), "spec.template.spec", "required" },
        { "spec missing", Pool(PoolSpec) with { Spec = null }, "spec", "required" },
        { "unknown operator", PoolWith(TemplateSpec with { Requirements = [Requirement("team", "Has", "a")] }), "spec.template.spec.requirements[0].operator", "unsupported value \"Has\"" },
        { "In without values", PoolWith(TemplateSpec with { Requirements = [Requirement("team", Operators.In)] }), "spec.template.spec.requirements[0].values", "requirements with operator 'In' must have a value defined" },
        { "Gt with a word", PoolWith(TemplateSpec with { Requirements = [Requirement(WellKnownLabels.InstanceGeneration, Operators.Gt, "five")] }), "spec.template.spec.requirements[0].values", "must have a single positive integer value" },
        { "Lt with two values", PoolWith(TemplateSpec with { Requirements = [Requirement(WellKnownLabels.InstanceGeneration, Operators.Lt, "5", "6")] }), "spec.template.spec.requirements[0].values", "must have a single positive integer value" },
        { "Gte negative", PoolWith(TemplateSpec with { Requirements = [Requirement(WellKnownLabels.InstanceCpu, Operators.Gte, "-1")] }), "spec.template.spec.requirements[0].values", "must have a single positive integer value" },
        { "Lte without value", PoolWith(TemplateSpec with { Requirements = [Requirement(WellKnownLabels.InstanceCpu, Operators.Lte)] }), "spec.template.spec.requirements[0].values", "must have a single positive integer value" },
        { "minValues above values", PoolWith(TemplateSpec with { Requirements = [Requirement(WellKnownLabels.InstanceFamily, Operators.In, "g5") with { MinValues = 2 }] }), "spec.template.spec.requirements[0].minValues", "requirements with 'minValues' must have at least that many values" },
        { "minValues out of range", PoolWith(TemplateSpec with { Requirements = [Requirement(WellKnownLabels.InstanceFamily, Operators.In, "g5") with { MinValues = 0 }] }), "spec.template.spec.requirements[0].minValues", "must be between 1 and 50" },
        { "hostname requirement", PoolWith(TemplateSpec with { Requirements = [Requirement(WellKnownLabels.Hostname, Operators.In, "a")] }), "spec.template.spec.requirements[0].key", "label \"kubernetes.io/hostname\" is restricted" },
        { "nodepool requirement", PoolWith(TemplateSpec with { Requirements = [Requirement(WellKnownLabels.NodePool, Operators.In, "a")] }), "spec.template.spec.requirements[0].key", "label \"karpenter.sh/nodepool\" is restricted" },
        { "karpenter.sh domain requirement", PoolWith(TemplateSpec with { Requirements = [Requirement("karpenter.sh/team", Operators.In, "a")] }), "spec.template.spec.requirements[0].key", "label domain \"karpenter.sh\" is restricted" },
        { "aws domain requirement", PoolWith(TemplateSpec with { Requirements = [Requirement("karpenter.k8s.aws/team", Operators.In, "a")] }), "spec.template.spec.requirements[0].key", "label domain \"karpenter.k8s.aws\" is restricted" },
        { "capacity type typo", PoolWith(TemplateSpec with { Requirements = [Requirement(WellKnownLabels.CapacityType, Operators.In, "ondemand")] }), "spec.template.spec.requirements[0].values", "no valid values found in [ondemand] for karpenter.sh/capacity-type" },
        { "karpenter.sh subdomain label", PoolWith(TemplateSpec with { Requirements = [Requirement("x.karpenter.sh/team", Operators.In, "a")] }), "spec.template.spec.requirements[0].key", "label domain \"karpenter.sh\" is restricted" },
        { "bad requirement key", PoolWith(TemplateSpec with { Requirements = [Requirement("-bad", Operators.In, "a")] }), "spec.template.spec.requirements[0].key", "must be a qualified name" },
        { "bad requirement value", PoolWith(TemplateSpec with { Requirements = [Requirement("team", Operators.In, "a b")] }), "spec.template.spec.requirements[0].values[0]", "invalid value \"a b\": must be empty or up to 63" },
        { "requirement value too long", PoolWith(TemplateSpec with { Requirements = [Requirement("team", Operators.In, new string('a', 64))] }), "spec.template.spec.requirements[0].values[0]", "at most 63 characters" },
        { "too many requirement values", PoolWith(TemplateSpec with { Requirements = [Requirement("team", Operators.In, [.. Enumerable.Range(0, NodeSelectorRequirementWithMinValues.MaxValues + 1).Select(i => $"v{i}")])] }), "spec.template.spec.requirements[0].values", "at most 5000 items" },
        { "requirement key name part too long", PoolWith(TemplateSpec with { Requirements = [Requirement("example.com/" + new string('a', 64), Operators.Exists)] }), "spec.template.spec.requirements[0].key", "no more than 63 characters" },
        { "instance tenancy typo", PoolWith(TemplateSpec with { Requirements = [Requirement(WellKnownLabels.InstanceTenancy, Operators.In, "shared")] }), "spec.template.spec.requirements[0].values", "no valid values found in [shared]" },
        { "static pool", Pool(PoolSpec with { Replicas = 3 }), "spec.replicas", "static NodePools (spec.replicas) are not supported" },
        { "duplicate taint in one list", PoolWith(TemplateSpec with { Taints = [new Taint { Key = "a", Effect = TaintEffects.NoSchedule }, new Taint { Key = "a", Value = "x", Effect = TaintEffects.NoSchedule }] }), "spec.template.spec.taints[1]", "duplicate taint" },
        { "too many taints", PoolWith(TemplateSpec with { Taints = [.. Enumerable.Range(0, 101).Select(i => new Taint { Key = $"t{i}", Effect = TaintEffects.NoSchedule })] }), "spec.template.spec.taints", "at most 100 items" },
        { "disruption without consolidateAfter", PoolWith(new Disruption { ConsolidationPolicy = ConsolidationPolicies.WhenEmpty }), "spec.disruption.consolidateAfter", "required" },
        { "template label key not qualified", Pool(PoolSpec with { Template = PoolSpec.Template! with { Metadata = new NodeClaimTemplateMetadata { Labels = new Dictionary<string, string> { ["a b"] = "x" } } } }), "spec.template.metadata.labels[a b]", "invalid label key" },
        { "too many requirements", PoolWith(TemplateSpec with { Requirements = [.. Enumerable.Range(0, 101).Select(i => Requirement($"k{i}", Operators.Exists))] }), "spec.template.spec.requirements", "at most 100 items" },
        { "restricted template label", Pool(PoolSpec with { Template = PoolSpec.Template! with { Metadata = new NodeClaimTemplateMetadata { Labels = new Dictionary<string, string> { [WellKnownLabels.NodePool] = "x" } } } }), "spec.template.metadata.labels[karpenter.sh/nodepool]", "is restricted" },
        { "restricted template label domain", Pool(PoolSpec with { Template = PoolSpec.Template! with { Metadata = new NodeClaimTemplateMetadata { Labels = new Dictionary<string, string> { ["karpenter.sh/team"] = "x" } } } }), "spec.template.metadata.labels[karpenter.sh/team]", "label domain \"karpenter.sh\" is restricted" },
        { "bad template label value", Pool(PoolSpec with { Template = PoolSpec.Template! with { Metadata = new NodeClaimTemplateMetadata { Labels = new Dictionary<string, string> { ["team"] = "-x-" } } } }), "spec.template.metadata.labels[team]", "invalid value \"-x-\"" },
        { "taint without effect", PoolWith(TemplateSpec with { Taints = [new Taint { Key = "gpu" }] }), "spec.template.spec.taints[0].effect", "required" },
        { "taint bad effect", PoolWith(TemplateSpec with { Taints = [new Taint { Key = "gpu", Effect = "NoWay" }] }), "spec.template.spec.taints[0].effect", "unsupported value \"NoWay\"" },
        { "taint bad key", PoolWith(TemplateSpec with { Taints = [new Taint { Key = "a b", Effect = TaintEffects.NoSchedule }] }), "spec.template.spec.taints[0].key", "must be a qualified name" },
        { "duplicate taint", PoolWith(TemplateSpec with { StartupTaints = [new Taint { Key = WellKnownTaints.NvidiaGpu, Effect = TaintEffects.NoSchedule }] }), "spec.template.spec.startupTaints[0]", "duplicate taint" },
        { "expireAfter bad", PoolWith(TemplateSpec with { ExpireAfter = "30d" }), "spec.template.spec.expireAfter", "must be a duration" },
        { "terminationGracePeriod Never", PoolWith(TemplateSpec with { TerminationGracePeriod = "Never" }), "spec.template.spec.terminationGracePeriod", "must be a duration" },
        { "consolidateAfter bad", PoolWith(PoolSpec.Disruption! with { ConsolidateAfter = "soon" }), "spec.disruption.consolidateAfter", "must be a duration" },
        { "consolidateAfter beyond Go's time.Duration", PoolWith(PoolSpec.Disruption! with { ConsolidateAfter = "99999999999h" }), "spec.disruption.consolidateAfter", "is out of range: the longest is 2562047h47m16s" },
        { "expireAfter one hour beyond Go's time.Duration", PoolWith(TemplateSpec with { ExpireAfter = "2562048h" }), "spec.template.spec.expireAfter", "is out of range" },
        { "terminationGracePeriod beyond Go's time.Duration", PoolWith(TemplateSpec with { TerminationGracePeriod = "99999999999999999999s" }), "spec.template.spec.terminationGracePeriod", "is out of range" },
        { "budget duration beyond Go's time.Duration", PoolWith(PoolSpec.Disruption! with { Budgets = [new Budget { Nodes = "0", Schedule = "@daily", Duration = "153722868m" }] }), "spec.disruption.budgets[0].duration", "is out of range" },
        { "v1beta1 policy name in v1", PoolWith(PoolSpec.Disruption! with { ConsolidationPolicy = "WhenUnderutilized" }), "spec.disruption.consolidationPolicy", "unsupported value \"WhenUnderutilized\"" },
        { "budget nodes bad", PoolWith(PoolSpec.Disruption! with { Budgets = [new Budget { Nodes = "101%" }] }), "spec.disruption.budgets[0].nodes", "percentage from 0% to 100%" },
        { "budget schedule without duration", PoolWith(PoolSpec.Disruption! with { Budgets = [new Budget { Nodes = "0", Schedule = "0 9 * * 1-5" }] }), "spec.disruption.budgets[0].duration", "'schedule' must be set with 'duration'" },
        { "budget duration without schedule", PoolWith(PoolSpec.Disruption! with { Budgets = [new Budget { Nodes = "0", Duration = "8h" }] }), "spec.disruption.budgets[0].schedule", "'schedule' must be set with 'duration'" },
        { "budget cron invalid", PoolWith(PoolSpec.Disruption! with { Budgets = [new Budget { Nodes = "0", Schedule = "0 25 * * *", Duration = "8h" }] }), "spec.disruption.budgets[0].schedule", "must be a cron expression of five fields" },
        { "budget cron day of week 7", PoolWith(PoolSpec.Disruption! with { Budgets = [new Budget { Nodes = "0", Schedule = "0 9 * * 7", Duration = "8h" }] }), "spec.disruption.budgets[0].schedule", "must be a cron expression of five fields" },
        { "budget cron too few fields", PoolWith(PoolSpec.Disruption! with { Budgets = [new Budget { Nodes = "0", Schedule = "0 9 * *", Duration = "8h" }] }), "spec.disruption.budgets[0].schedule", "cron expression of five fields" },
        { "budget duration seconds", PoolWith(PoolSpec.Disruption! with { Budgets = [new Budget { Nodes = "0", Schedule = "@daily", Duration = "30s" }] }), "spec.disruption.budgets[0].duration", "hours and/or minutes" },
        { "budget unknown reason", PoolWith(PoolSpec.Disruption! with { Budgets = [new Budget { Nodes = "1", Reasons = ["Expired"] }] }), "spec.disruption.budgets[0].reasons[0]", "unsupported value \"Expired\"" },
        { "budget repeated reason", PoolWith(PoolSpec.Disruption! with { Budgets = [new Budget { Nodes = "1", Reasons = ["Empty", "Empty"] }] }), "spec.disruption.budgets[0].reasons", "more than once" },
        { "too many budgets", PoolWith(PoolSpec.Disruption! with { Budgets = [.. Enumerable.Range(0, 51).Select(_ => new Budget { Nodes = "1" })] }), "spec.disruption.budgets", "at most 50 items" },
        { "weight zero", Pool(PoolSpec with { Weight = 0 }), "spec.weight", "must be between 1 and 100" },
        { "weight above 100", Pool(PoolSpec with { Weight = 101 }), "spec.weight", "must be between 1 and 100" },
        { "negative limit", Pool(PoolSpec with { Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("-1") } }), "spec.limits[cpu]", "must be a quantity that is not negative" },
        { "bad name", Pool(name: "GPU_Pool"), "metadata.name", "DNS subdomain" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Validate_BrokenPool_ReportsFieldAndReason(string rule, NodePool pool, string path, string reason)
    {
        var errors = Read.FieldErrors(pool);
        Assert.True(errors.Any(e => e.Path == path && e.Message.Contains(reason, StringComparison.Ordinal)),
            $"{rule}: expected '{path}: ...{reason}...', got:\n{string.Join("\n", errors)}");
    }

    public static TheoryData<string, NodePool> Fine => new()
    {
        { "the longest durations Go's time.Duration holds", PoolWith(TemplateSpec with { ExpireAfter = "2562047h47m16s", TerminationGracePeriod = "2562047h" }) },
        { "well-known requirement keys", PoolWith(TemplateSpec with { Requirements = [Requirement(WellKnownLabels.InstanceGpuName, Operators.In, "a10g"), Requirement(WellKnownLabels.Zone, Operators.In, "us-east-1a"), Requirement(WellKnownLabels.Arch, Operators.In, "amd64")] }) },
        { "kubernetes.io domain (allowed since Karpenter v1.9)", PoolWith(TemplateSpec with { Requirements = [Requirement("kubernetes.io/team", Operators.In, "a"), Requirement("x.k8s.io/team", Operators.In, "a")] }) },
        { "aws well-known labels", PoolWith(TemplateSpec with { Requirements = [Requirement(WellKnownLabels.InstanceTenancy, Operators.In, "default"), Requirement(WellKnownLabels.InstanceAcceleratorName, Operators.In, "inferentia"), Requirement(WellKnownLabels.ZoneId, Operators.In, "use1-az1")] }) },
        { "capacity type template label", Pool(PoolSpec with { Template = PoolSpec.Template! with { Metadata = new NodeClaimTemplateMetadata { Labels = new Dictionary<string, string> { [WellKnownLabels.CapacityType] = "spot" } } } }) },
        { "minValues with NotIn", PoolWith(TemplateSpec with { Requirements = [Requirement(WellKnownLabels.InstanceFamily, Operators.NotIn, "g5") with { MinValues = 3 }] }) },
        { "node.kubernetes.io exception", PoolWith(TemplateSpec with { Requirements = [Requirement("node.kubernetes.io/role", Operators.In, "gpu")] }) },
        { "custom domain label", PoolWith(TemplateSpec with { Requirements = [Requirement("example.com/team", Operators.In, "ml")] }) },
        { "Gt with integer", PoolWith(TemplateSpec with { Requirements = [Requirement(WellKnownLabels.InstanceGeneration, Operators.Gt, "4")] }) },
        { "Gte and Lte", PoolWith(TemplateSpec with { Requirements = [Requirement(WellKnownLabels.InstanceCpu, Operators.Gte, "4"), Requirement(WellKnownLabels.InstanceCpu, Operators.Lte, "64")] }) },
        { "Exists and DoesNotExist", PoolWith(TemplateSpec with { Requirements = [Requirement(WellKnownLabels.InstanceGpuName, Operators.Exists), Requirement("spot-only", Operators.DoesNotExist)] }) },
        { "minValues reachable", PoolWith(TemplateSpec with { Requirements = [Requirement(WellKnownLabels.InstanceFamily, Operators.In, "g5", "g6", "g4dn") with { MinValues = 2 }] }) },
        { "Never expires", PoolWith(TemplateSpec with { ExpireAfter = "Never", TerminationGracePeriod = "48h" }) },
        { "startup taint", PoolWith(TemplateSpec with { StartupTaints = [new Taint { Key = "node.cilium.io/agent-not-ready", Effect = TaintEffects.NoExecute }] }) },
        { "business-hours budget", PoolWith(PoolSpec.Disruption! with { Budgets = [new Budget { Nodes = "0", Schedule = "0 9 * * mon-fri", Duration = "8h", Reasons = ["Underutilized", "Drifted"] }, new Budget { Nodes = "20%" }] }) },
        { "macro schedule", PoolWith(PoolSpec.Disruption! with { Budgets = [new Budget { Nodes = "5", Schedule = "@annually", Duration = "1h30m" }] }) },
        { "WhenEmpty Never", PoolWith(new Disruption { ConsolidationPolicy = ConsolidationPolicies.WhenEmpty, ConsolidateAfter = "Never" }) },
        { "defaults omitted", Pool(PoolSpec with { Disruption = null, Weight = null, Limits = null }) },
        { "weight bounds", Pool(PoolSpec with { Weight = 1 }) },
        { "Exists with values (ignored, as in Karpenter)", PoolWith(TemplateSpec with { Requirements = [Requirement("team", Operators.Exists, "a"), Requirement("spot-only", Operators.DoesNotExist, "b")] }) },
        { "more than 100 values", PoolWith(TemplateSpec with { Requirements = [Requirement(WellKnownLabels.InstanceType, Operators.In, [.. Enumerable.Range(0, 150).Select(i => $"type-{i}")])] }) },
        { "capacity type with one known value among others", PoolWith(TemplateSpec with { Requirements = [Requirement(WellKnownLabels.CapacityType, Operators.In, "spot", "ondemand")] }) },
        { "cron lists, ranges, steps and names", PoolWith(PoolSpec.Disruption! with { Budgets = [new Budget { Nodes = "0", Schedule = "*/15 0-6,22 ? JAN-mar SUN,sat", Duration = "30m" }] }) },
        { "same taint key with two effects", PoolWith(TemplateSpec with { Taints = [new Taint { Key = "a", Effect = TaintEffects.NoSchedule }, new Taint { Key = "a", Effect = TaintEffects.NoExecute }] }) },
        { "zero limit", Pool(PoolSpec with { Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("0") } }) },
    };

    [Theory]
    [MemberData(nameof(Fine))]
    public void Validate_AcceptedVariant_NoErrors(string rule, NodePool pool)
    {
        var errors = Read.Errors(pool);
        Assert.True(errors.Count == 0, $"{rule}: {string.Join("\n", errors)}");
    }
}
