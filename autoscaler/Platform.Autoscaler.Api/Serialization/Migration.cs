using Platform.Autoscaler.Api.Validation;
using YamlDotNet.RepresentationModel;

namespace Platform.Autoscaler.Api.Serialization;

/// <summary>
/// Explains why a retired Karpenter document (v1alpha5, v1beta1) is refused and what to change for v1,
/// naming each field of the document that v1 renamed, moved or now requires.
/// </summary>
internal static class Migration
{
    public static bool IsRetired(string apiVersion) => apiVersion is
        "karpenter.sh/v1beta1" or "karpenter.sh/v1alpha5" or "karpenter.k8s.aws/v1beta1" or "karpenter.k8s.aws/v1alpha1";

    public static IEnumerable<FieldError> Explain(string apiVersion, string kind, YamlMappingNode root)
    {
        var target = apiVersion.StartsWith("karpenter.sh/", StringComparison.Ordinal) ? "karpenter.sh/v1" : "karpenter.k8s.aws/v1";
        var changes = kind switch
        {
            "NodePool" => NodePoolChanges(root).ToList(),
            "EC2NodeClass" => NodeClassChanges(root).ToList(),
            _ => [],
        };
        var listed = changes.Count switch
        {
            0 => kind is "NodePool" or "EC2NodeClass" ? "; no other field of this document needs a change" : "",
            1 => "; the one other change it needs follows",
            var n => $"; the {n} other changes it needs follow",
        };
        yield return new FieldError("apiVersion",
            $"{apiVersion} is not supported: this autoscaler implements Karpenter's v1 API; rewrite the {kind} as {target}" +
            (kind == "Provisioner" ? " NodePool (v1alpha5 Provisioners became NodePools)" : "") +
            (kind == "AWSNodeTemplate" ? " EC2NodeClass (v1alpha1 AWSNodeTemplates became EC2NodeClasses)" : "") + listed);

        foreach (var change in changes)
        {
            yield return change;
        }
    }

    private static IEnumerable<FieldError> NodePoolChanges(YamlMappingNode root)
    {
        if (Get(root, "spec", "disruption", "consolidationPolicy") is YamlScalarNode { Value: "WhenUnderutilized" })
        {
            yield return new("spec.disruption.consolidationPolicy", "v1beta1's WhenUnderutilized is WhenEmptyOrUnderutilized in v1");
        }

        if (Get(root, "spec", "disruption", "expireAfter") is { } expire)
        {
            yield return new("spec.disruption.expireAfter", $"moved to spec.template.spec.expireAfter in v1 (value {Text(expire)})");
        }

        if (Get(root, "spec", "disruption", "consolidateAfter") is null && Get(root, "spec", "disruption") is not null)
        {
            yield return new("spec.disruption.consolidateAfter", "v1 applies consolidateAfter to every consolidation policy; set it (for example 1m, or 0s for immediately)");
        }

        if (Get(root, "spec", "template", "spec", "kubelet") is not null)
        {
            yield return new("spec.template.spec.kubelet", "moved to the EC2NodeClass's spec.kubelet in v1");
        }

        if (Get(root, "spec", "template", "spec", "nodeClassRef") is YamlMappingNode reference)
        {
            var missing = new[] { "group", "kind" }.Where(f => Get(reference, f) is null).ToList();
            if (missing.Count > 0)
            {
                yield return new("spec.template.spec.nodeClassRef",
                    $"v1 requires group and kind besides name (group: karpenter.k8s.aws, kind: EC2NodeClass); missing {string.Join(" and ", missing)}" +
                    (Get(reference, "apiVersion") is not null ? "; apiVersion is replaced by group" : ""));
            }
        }
        else
        {
            yield return new("spec.template.spec.nodeClassRef", "required in v1: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: ...}");
        }
    }

    private static IEnumerable<FieldError> NodeClassChanges(YamlMappingNode root)
    {
        var family = Get(root, "spec", "amiFamily");
        var terms = Get(root, "spec", "amiSelectorTerms");
        if (family is not null && terms is null)
        {
            var written = Text(family);
            var known = written.ToLowerInvariant() is "al2023" or "al2" or "bottlerocket" or "windows2019" or "windows2022";
            yield return new("spec.amiFamily", !known
                ? "v1 requires spec.amiSelectorTerms; amiFamily alone no longer selects AMIs"
                : written.StartsWith("Windows", StringComparison.OrdinalIgnoreCase)
                    ? $"v1 selects AMIs with spec.amiSelectorTerms, and this autoscaler launches Linux AL2023 (nodeadm) nodes only: a {written} node class cannot be migrated to it"
                : written.Equals("AL2023", StringComparison.OrdinalIgnoreCase)
                    ? "v1 selects AMIs with spec.amiSelectorTerms; replace amiFamily AL2023 with amiSelectorTerms: [{alias: al2023@latest}] (pin a version such as @v20240807 in production)"
                    // Karpenter would take the family's own alias; this launcher boots AL2023 (nodeadm) only.
                    : $"v1 selects AMIs with spec.amiSelectorTerms, and this autoscaler launches AL2023 (nodeadm) nodes only: replace amiFamily {written} with amiSelectorTerms: [{{alias: al2023@latest}}] and check that the nodes' user data and workloads suit AL2023");
        }
        else if (terms is null)
        {
            yield return new("spec.amiSelectorTerms", "required in v1: for example [{alias: al2023@latest}]");
        }

        foreach (var moved in new[] { "subnetSelector", "securityGroupSelector", "amiSelector" })
        {
            if (Get(root, "spec", moved) is not null)
            {
                yield return new($"spec.{moved}", $"became {moved}Terms (a list of terms) in v1");
            }
        }
    }

    private static YamlNode? Get(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var child))
            {
                return null;
            }

            node = child;
        }

        return node;
    }

    private static string Text(YamlNode node) => (node as YamlScalarNode)?.Value ?? node.ToString();
}
