
namespace Platform.Autoscaler.Api.Validation;

/// <summary>Kubelet rules: reserved and eviction keys and values, soft thresholds paired with grace periods, GC thresholds ordered.</summary>
internal static class KubeletRules
{
    public static readonly string[] ReservedKeys = ["cpu", "memory", "ephemeral-storage", "pid"];

    public static readonly string[] EvictionSignals =
        ["memory.available", "nodefs.available", "nodefs.inodesFree", "imagefs.available", "imagefs.inodesFree", "pid.available"];

    public static IEnumerable<FieldError> Validate(KubeletConfiguration? kubelet, string path)
    {
        if (kubelet is null)
        {
            yield break;
        }

        foreach (var (field, map) in new[] { ("systemReserved", kubelet.SystemReserved), ("kubeReserved", kubelet.KubeReserved) })
        {
            foreach (var (key, value) in map ?? new Dictionary<string, string>())
            {
                var entry = FieldPath.Key(FieldPath.Child(path, field), key);
                if (!ReservedKeys.Contains(key))
                {
                    yield return new(entry, $"unsupported resource \"{key}\": use one of {string.Join(", ", ReservedKeys)}");
                }
                else if (value.StartsWith('-'))
                {
                    yield return new(entry, $"{field} value cannot be a negative resource quantity, got \"{value}\"");
                }
                else if (!Quantities.TryToBaseUnits(key, value, out _, out var problem))
                {
                    yield return new(entry, problem);
                }
            }
        }

        foreach (var (field, map) in new[] { ("evictionHard", kubelet.EvictionHard), ("evictionSoft", kubelet.EvictionSoft) })
        {
            foreach (var (key, value) in map ?? new Dictionary<string, string>())
            {
                var entry = FieldPath.Key(FieldPath.Child(path, field), key);
                if (!EvictionSignals.Contains(key))
                {
                    yield return new(entry, $"unsupported eviction signal \"{key}\": use one of {string.Join(", ", EvictionSignals)}");
                }
            }
        }

        var soft = kubelet.EvictionSoft?.Keys.ToHashSet() ?? [];
        var grace = kubelet.EvictionSoftGracePeriod?.Keys.ToHashSet() ?? [];
        foreach (var key in soft.Except(grace).Order(StringComparer.Ordinal))
        {
            yield return new(FieldPath.Key(FieldPath.Child(path, "evictionSoft"), key), "evictionSoft OwnerKey does not have a matching evictionSoftGracePeriod");
        }

        foreach (var key in grace.Except(soft).Order(StringComparer.Ordinal))
        {
            yield return new(FieldPath.Key(FieldPath.Child(path, "evictionSoftGracePeriod"), key), "evictionSoftGracePeriod OwnerKey does not have a matching evictionSoft");
        }

        if (kubelet.ImageGCHighThresholdPercent is { } high && kubelet.ImageGCLowThresholdPercent is { } low && high <= low)
        {
            yield return new(FieldPath.Child(path, "imageGCHighThresholdPercent"), "imageGCHighThresholdPercent must be greater than imageGCLowThresholdPercent");
        }
    }
}
