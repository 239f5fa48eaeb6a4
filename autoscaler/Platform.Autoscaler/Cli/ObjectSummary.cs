using System.Globalization;
using Platform.Autoscaler.Api;

namespace Platform.Autoscaler.Cli;

/// <summary>One line that says what a valid object will do, so a reviewer sees it at a glance.</summary>
internal static class ObjectSummary
{
    public static string Describe(object value) => value switch
    {
        NodePool pool => Describe(pool),
        EC2NodeClass nodeClass => Describe(nodeClass),
        NodeClaim claim => $"valid: {claim.Spec?.Requirements?.Count ?? 0} requirement(s), node class {claim.Spec?.NodeClassRef?.Name}",
        _ => "valid",
    };

    private static string Describe(NodePool pool)
    {
        var spec = pool.Spec!;
        var templateSpec = spec.Template!.Spec!;
        var parts = new List<string>
        {
            $"weight {(spec.Weight ?? 0).ToString(CultureInfo.InvariantCulture)}",
            $"node class {templateSpec.NodeClassRef?.Name}",
            $"{templateSpec.Requirements?.Count ?? 0} requirement(s)",
        };
        if (templateSpec.Requirements?.FirstOrDefault(r => r.Key == WellKnownLabels.CapacityType) is { } capacity)
        {
            parts.Add($"capacity {capacity.Operator} [{string.Join(", ", capacity.Values ?? [])}]");
        }

        if (templateSpec.Taints is { Count: > 0 } taints)
        {
            parts.Add($"taints {string.Join(", ", taints.Select(t => $"{t.Key}:{t.Effect}"))}");
        }

        if (spec.Limits is { Count: > 0 } limits)
        {
            parts.Add($"limits {string.Join(", ", limits.Select(l => $"{l.Key}={l.Value}"))}");
        }

        var disruption = spec.Disruption;
        parts.Add($"consolidation {disruption?.ConsolidationPolicy ?? ConsolidationPolicies.WhenEmptyOrUnderutilized} after {disruption?.ConsolidateAfter ?? "0s"}");
        if (disruption?.Budgets is { Count: > 0 } budgets)
        {
            parts.Add($"{budgets.Count} budget(s)");
        }

        return "valid: " + string.Join("; ", parts);
    }

    private static string Describe(EC2NodeClass nodeClass)
    {
        var spec = nodeClass.Spec!;
        var ami = spec.AmiSelectorTerms?.FirstOrDefault()?.Alias ?? $"{spec.AmiSelectorTerms?.Count ?? 0} AMI term(s), family {spec.AmiFamily}";
        var identity = spec.Role is not null ? $"role {spec.Role}" : $"instance profile {spec.InstanceProfile}";
        return $"valid: AMI {ami}; {identity}; {spec.SubnetSelectorTerms?.Count ?? 0} subnet term(s); {spec.SecurityGroupSelectorTerms?.Count ?? 0} security group term(s)";
    }
}
