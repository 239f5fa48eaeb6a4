namespace Platform.Infra.Blueprint.Settings;

/// <summary>When voluntary disruption of GPU nodes is frozen: a cron schedule and how long each freeze lasts.</summary>
public sealed record BusinessHours(string Schedule, string Duration);
