using Platform.Autoscaler.Api;

namespace Platform.Autoscaler.Core.Scheduling;

/// <summary>Which instance types a resolved AMI serves: those whose labels meet every requirement its status lists.</summary>
public static class AmiRequirements
{
    /// <summary>True when the AMI's requirements admit an instance type with <paramref name="labels"/>.</summary>
    public static bool Serves(this ResolvedAmi ami, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(ami);
        ArgumentNullException.ThrowIfNull(labels);
        return (ami.Requirements ?? []).All(r =>
            r is { Key: { } key, Operator: { } op } && Requirement.From(key, op, r.Values).Admits(labels.GetValueOrDefault(key)));
    }
}
