namespace Platform.Autoscaler.Api;

/// <summary>Regular expressions shared by the schema and the validator.</summary>
public static class Patterns
{
    /// <summary>A qualified name: optional DNS subdomain prefix and a name of up to 63 characters.</summary>
    public const string QualifiedName =
        @"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(\/))?([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$";

    /// <summary>A label value: empty, or up to 63 alphanumerics with -, _ and . inside.</summary>
    public const string LabelValue = @"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$";

    /// <summary>A Go duration of hours, minutes and seconds, or Never.</summary>
    public const string NillableDuration = @"^(([0-9]+(s|m|h))+|Never)$";

    /// <summary>A Go duration of hours, minutes and seconds.</summary>
    public const string Duration = @"^([0-9]+(s|m|h))+$";

    /// <summary>A budget's node count or percentage.</summary>
    public const string BudgetNodes = @"^((100|[0-9]{1,2})%|[0-9]+)$";

    /// <summary>A budget's schedule: a cron expression of five fields or a macro.</summary>
    public const string BudgetSchedule =
        @"^(@(annually|yearly|monthly|weekly|daily|midnight|hourly))|((.+)\s(.+)\s(.+)\s(.+)\s(.+))$";

    /// <summary>A budget's duration: hours and/or minutes.</summary>
    public const string BudgetDuration = @"^((([0-9]+(h|m))|([0-9]+h[0-9]+m))(0s)?)$";
}
