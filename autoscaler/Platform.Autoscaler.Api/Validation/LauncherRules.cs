namespace Platform.Autoscaler.Api.Validation;

/// <summary>
/// What Karpenter's schema accepts but this autoscaler's launcher does not implement, refused so that no field is
/// silently dropped: the launcher writes AL2023 (nodeadm) user data, so only AL2023 AMIs (by alias or amiFamily), or
/// amiFamily Custom with user data that bootstraps the node itself, can join the cluster. Every other EC2NodeClass
/// field reaches the launch template, the fleet request or the planner (a test walks the schema to keep it so).
/// </summary>
internal static class LauncherRules
{
    /// <summary>The amiFamily values the launcher serves.</summary>
    public static readonly IReadOnlyList<string> AmiFamilies = ["AL2023", "Custom"];

    /// <summary>The alias families the launcher serves.</summary>
    public static readonly IReadOnlyList<string> AliasFamilies = ["al2023"];

    private const string Why = "this autoscaler's launcher writes AL2023 (nodeadm) user data";

    /// <summary>The fix for an amiFamily the launcher does not serve (the CRD's CEL rule says it without the family).</summary>
    public const string AmiFamilyFix = "use AL2023, or Custom with user data that joins the node to the cluster itself";

    /// <summary>The fix for an alias family the launcher does not serve.</summary>
    public const string AliasFix = "use al2023@latest or a pinned al2023@<version>";

    /// <summary>The CRD's message for an amiFamily the launcher does not serve.</summary>
    public const string AmiFamilyUnsupported = $"amiFamily is not supported: {Why}; {AmiFamilyFix}";

    /// <summary>The CRD's message for an alias family the launcher does not serve.</summary>
    public const string AliasUnsupported = $"alias family is not supported: {Why}; {AliasFix}";

    public static IEnumerable<FieldError> Validate(EC2NodeClassSpec spec)
    {
        if (spec.AmiFamily is { } family && !AmiFamilies.Contains(family))
        {
            yield return new("spec.amiFamily", $"amiFamily {family} is not supported: {Why}; {AmiFamilyFix}");
        }

        var terms = spec.AmiSelectorTerms ?? [];
        for (var i = 0; i < terms.Count; i++)
        {
            // Families Karpenter does not know at all are refused by its own rule already.
            if (terms[i].Alias is { } alias && NodeClassRules.SplitAlias(alias).Family is var aliasFamily
                && NodeClassRules.AliasFamilies.Contains(aliasFamily) && !AliasFamilies.Contains(aliasFamily))
            {
                yield return new(FieldPath.Child(FieldPath.Index("spec.amiSelectorTerms", i), "alias"),
                    $"alias family \"{aliasFamily}\" is not supported: {Why}; {AliasFix}");
            }
        }
    }
}
