using Cronos;

namespace Platform.Autoscaler.Api.Validation;

/// <summary>Budget rules: schedule and duration go together, and the schedule is a valid cron expression.</summary>
public static class BudgetRules
{
    /// <summary>Every problem with the budgets, each with its field path.</summary>
    public static IEnumerable<FieldError> Validate(IList<Budget>? budgets, string path)
    {
        for (var i = 0; i < (budgets?.Count ?? 0); i++)
        {
            var budget = budgets![i];
            var budgetPath = FieldPath.Index(path, i);
            if ((budget.Schedule is null) != (budget.Duration is null))
            {
                var (present, missing) = budget.Schedule is null ? ("duration", "schedule") : ("schedule", "duration");
                yield return new(FieldPath.Child(budgetPath, missing), $"'schedule' must be set with 'duration': {present} is set, so {missing} is required");
            }

            if (budget.Schedule is { } schedule && CronError(schedule) is { } error)
            {
                yield return new(FieldPath.Child(budgetPath, "schedule"), $"invalid cron expression \"{schedule}\": {error}");
            }

            if (budget.Reasons is { } reasons && reasons.Distinct(StringComparer.Ordinal).Count() != reasons.Count)
            {
                yield return new(FieldPath.Child(budgetPath, "reasons"), "a reason is listed more than once");
            }
        }
    }

    /// <summary>Parses a budget schedule (five fields or a macro, UTC) or says why it cannot.</summary>
    public static string? CronError(string schedule)
    {
        try
        {
            _ = Parse(schedule);
            return null;
        }
        catch (CronFormatException e)
        {
            return e.Message;
        }
    }

    /// <summary>The parsed schedule; Karpenter's macros @annually and @yearly map to Cronos's @yearly.</summary>
    public static CronExpression Parse(string schedule) =>
        CronExpression.Parse(schedule.Trim() == "@annually" ? "@yearly" : schedule.Trim(), CronFormat.Standard);
}
