namespace Platform.Autoscaler.Api.Validation;

/// <summary>Plain-language descriptions of the schema's patterns, for error messages.</summary>
internal static class PatternHints
{
    public static string Describe(string pattern) => pattern switch
    {
        Patterns.NillableDuration => "must be a duration such as 30s, 10m, 720h or 1h30m, or Never",
        Patterns.Duration => "must be a duration such as 30s, 10m, 24h or 1h30m",
        Patterns.BudgetNodes => "must be a node count such as 5 or a percentage from 0% to 100% such as 10%",
        Patterns.BudgetSchedule => "must be a cron expression of five fields (minute hour day-of-month month day-of-week) or a macro such as @daily",
        Patterns.BudgetDuration => "must be hours and/or minutes such as 8h, 30m or 1h30m",
        Patterns.QualifiedName => "must be a qualified name: an optional DNS prefix and '/', then up to 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric",
        Patterns.NonNegativeQuantity => "must be a quantity that is not negative, such as 8, 500m or 16Gi",
        Patterns.Quantity => "must be a quantity such as 2, 500m or 16Gi",
        Patterns.VolumeSize => "must be a string of whole Gi, G, Ti or T from 1G up to 64 TB, such as 100Gi",
        Patterns.EvictionThreshold => "must be a quantity such as 100Mi or a percentage up to 100% such as 10%",
        Patterns.LabelValue => "must be empty or up to 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric",
        _ => $"must match {pattern}",
    };
}
