using Platform.Autoscaler.Api.Validation;

namespace Platform.Autoscaler.Api;

/// <summary>
/// The EC2NodeClass CEL rules built from the validator's tables: Karpenter v1's alias families, restricted tags
/// and kubelet keys, so the CRD and <c>validate</c> read the same lists.
/// </summary>
public static class NodeClassCelRules
{
    /// <summary>Rules on an AMI alias (<c>self</c> is the alias).</summary>
    public static IEnumerable<CelRule> Alias =>
    [
        new($"self.split('@')[0] in {List(NodeClassRules.AliasFamilies)}",
            $"family is not supported, must be one of the following: {string.Join(", ", NodeClassRules.AliasFamilies.Select(f => $"'{f}'"))}"),
        new($"self.split('@')[0] in {List(Windows)} ? self.split('@')[1] == 'latest' : true", "windows families may only specify version 'latest'"),
    ];

    /// <summary>Rules on the spec: an amiFamily, when set, agrees with the alias's family.</summary>
    public static IEnumerable<CelRule> AmiFamily =>
        NodeClassRules.AliasFamilies.Select(family =>
        {
            var name = NodeClassRules.FamilyNames[family];
            var article = family.StartsWith("al", StringComparison.Ordinal) ? "an" : "a";
            return new CelRule(
                $"!has(self.amiFamily) || (self.amiSelectorTerms.exists(x, has(x.alias) && x.alias.find('^[^@]+') == '{family}') ? (self.amiFamily == 'Custom' || self.amiFamily == '{name}') : true)",
                $"if set, amiFamily must be '{name}' or 'Custom' when using {article} {name} alias");
        });

    /// <summary>Rules on spec.tags: the tags the autoscaler sets on every instance are reserved.</summary>
    public static IEnumerable<CelRule> Tags =>
    [
        new("self.all(k, k != '')", "empty tag keys aren't supported"),
        new("self.all(k, !k.startsWith('kubernetes.io/cluster'))", "tag contains a restricted tag matching kubernetes.io/cluster/"),
        .. NodeClassRules.RestrictedTags.Select(tag => new CelRule($"self.all(k, k != '{tag}')", $"tag contains a restricted tag matching {tag}")),
    ];

    /// <summary>Rules on kubelet evictionHard, evictionSoft and evictionSoftGracePeriod (<c>self</c> is the map).</summary>
    public static IEnumerable<CelRule> EvictionSignals => [EvictionKeys("evictionHard")];

    /// <summary>As <see cref="EvictionSignals"/>, for evictionSoft.</summary>
    public static IEnumerable<CelRule> EvictionSoftSignals => [EvictionKeys("evictionSoft")];

    /// <summary>As <see cref="EvictionSignals"/>, for evictionSoftGracePeriod.</summary>
    public static IEnumerable<CelRule> EvictionGraceSignals => [EvictionKeys("evictionSoftGracePeriod")];

    /// <summary>Rules on kubelet kubeReserved.</summary>
    public static IEnumerable<CelRule> KubeReserved => Reserved("kubeReserved");

    /// <summary>Rules on kubelet systemReserved.</summary>
    public static IEnumerable<CelRule> SystemReserved => Reserved("systemReserved");

    private static IEnumerable<string> Windows => NodeClassRules.AliasFamilies.Where(f => f.StartsWith("windows", StringComparison.Ordinal));

    private static CelRule EvictionKeys(string field) =>
        new($"self.all(x, x in {List(KubeletRules.EvictionSignals)})",
            $"valid keys for {field} are [{string.Join(",", KubeletRules.EvictionSignals.Select(s => $"'{s}'"))}]");

    private static IEnumerable<CelRule> Reserved(string field) =>
    [
        new($"self.all(x, x in {List(KubeletRules.ReservedKeys)})", $"valid keys for {field} are [{string.Join(",", KubeletRules.ReservedKeys.Select(s => $"'{s}'"))}]"),
        new("self.all(x, !self[x].startsWith('-'))", $"{field} value cannot be a negative resource quantity"),
    ];

    private static string List(IEnumerable<string> values) => "[" + string.Join(",", values.Select(v => $"'{v}'")) + "]";
}
