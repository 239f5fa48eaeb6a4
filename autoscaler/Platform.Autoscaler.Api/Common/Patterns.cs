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

    /// <summary>
    /// A budget's schedule: a macro, or five cron fields (minute hour day-of-month month day-of-week) each a list of
    /// <c>*</c>, values or ranges in the field's bounds with an optional <c>/step</c>, as robfig/cron (Karpenter's
    /// parser) reads them. Karpenter's CRD only counts the fields; an out-of-range field makes its budget fail at run
    /// time there, so the schema refuses it here.
    /// </summary>
    public const string BudgetSchedule =
        "^(@(annually|yearly|monthly|weekly|daily|midnight|hourly)|"
        + CronMinute + @"\s+" + CronHour + @"\s+" + CronDayOfMonth + @"\s+" + CronMonth + @"\s+" + CronDayOfWeek + ")$";

    private const string CronMinute = "(" + CronItem0 + "[0-5]?[0-9]" + CronItem1 + "[0-5]?[0-9]" + CronItem2 + "[0-5]?[0-9]" + CronItem3 + "[0-5]?[0-9]" + CronItem4;
    private const string CronHour = "(" + CronItem0 + "([01]?[0-9]|2[0-3])" + CronItem1 + "([01]?[0-9]|2[0-3])" + CronItem2 + "([01]?[0-9]|2[0-3])" + CronItem3 + "([01]?[0-9]|2[0-3])" + CronItem4;
    private const string CronDay = "(0?[1-9]|[12][0-9]|3[01])";
    private const string CronDayOfMonth = "(" + CronAny + CronDay + CronItem1 + CronDay + CronItem2 + CronDay + CronItem3 + CronDay + CronItem4;
    private const string CronMonthValue = "(0?[1-9]|1[0-2]|(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))";
    private const string CronMonth = "(" + CronItem0 + CronMonthValue + CronItem1 + CronMonthValue + CronItem2 + CronMonthValue + CronItem3 + CronMonthValue + CronItem4;
    private const string CronWeekday = "([0-6]|(?i:sun|mon|tue|wed|thu|fri|sat))";
    private const string CronDayOfWeek = "(" + CronAny + CronWeekday + CronItem1 + CronWeekday + CronItem2 + CronWeekday + CronItem3 + CronWeekday + CronItem4;

    // One cron field is item(,item)*, an item being (*|v|v-v)(/step)?; "?" is also "*" in the day fields.
    private const string CronItem0 = @"(\*|";
    private const string CronAny = @"(\*|\?|";
    private const string CronItem1 = "(-";
    private const string CronItem2 = @")?)(/[0-9]+)?(,(\*|";
    private const string CronItem3 = "(-";
    private const string CronItem4 = @")?)(/[0-9]+)?)*)";

    /// <summary>A resource quantity that is not negative (limits).</summary>
    public const string NonNegativeQuantity =
        @"^\+?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$";

    /// <summary>
    /// An EBS volume size as Karpenter takes it: a whole number of Gi, G, Ti or T from 1 up to 64 TB (64,000G,
    /// 59,604Gi, 64T, 58Ti). Karpenter's own pattern has the same units and bound, though it stops Gi at 59,000.
    /// </summary>
    public const string VolumeSize =
        "^(([1-9][0-9]{0,3}|[1-4][0-9]{4}|5[0-8][0-9]{3}|59[0-5][0-9]{2}|5960[0-4])Gi|([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-3][0-9]{3}|64000)G"
        + "|([1-9]|[1-4][0-9]|5[0-8])Ti|([1-9]|[1-5][0-9]|6[0-4])T)$";

    /// <summary>A kubelet eviction threshold: a percentage up to 100% or a quantity.</summary>
    public const string EvictionThreshold =
        @"^((\d{1,2}(\.\d{1,2})?|100(\.0{1,2})?)%|(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?)$";

    /// <summary>A resource quantity, the pattern Kubernetes gives them.</summary>
    public const string Quantity =
        @"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$";

    /// <summary>A status condition's type, as in meta/v1 Condition.</summary>
    public const string ConditionType =
        @"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$";

    /// <summary>A status condition's reason: CamelCase, or empty (NodeClaims may leave it empty).</summary>
    public const string ConditionReason = @"^([A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?|)$";

    /// <summary>A budget's duration: hours and/or minutes.</summary>
    public const string BudgetDuration = @"^((([0-9]+(h|m))|([0-9]+h[0-9]+m))(0s)?)$";
}
