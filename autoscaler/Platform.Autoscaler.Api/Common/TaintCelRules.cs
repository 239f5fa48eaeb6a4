namespace Platform.Autoscaler.Api;

/// <summary>
/// A taint's key and effect appear once across a spec's taints and startupTaints (Karpenter checks this at run time
/// and keeps the NodePool from being used; the CRD refuses it at apply time).
/// </summary>
public static class TaintCelRules
{
    /// <summary>
    /// Most taints one list may hold. Karpenter sets no bound; the uniqueness rules compare every pair, and the API
    /// server refuses a rule whose worst case it cannot bound.
    /// </summary>
    public const int MaxTaints = 100;

    private const string Message = "a taint's key and effect pair may appear once across taints and startupTaints";

    /// <summary>The rules, on a spec holding taints and startupTaints.</summary>
    public static IEnumerable<CelRule> Unique =>
    [
        new(Within("taints"), Message),
        new(Within("startupTaints"), Message),
        new("!has(self.taints) || !has(self.startupTaints) || self.taints.all(t, !self.startupTaints.exists(s, s.key == t.key && s.effect == t.effect))", Message),
    ];

    private static string Within(string list) =>
        $"!has(self.{list}) || self.{list}.all(t, self.{list}.exists_one(s, s.key == t.key && s.effect == t.effect))";
}
