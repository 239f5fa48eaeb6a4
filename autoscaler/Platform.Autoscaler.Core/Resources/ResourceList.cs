using System.Collections.Frozen;
using System.Globalization;
using k8s.Models;
using Platform.Autoscaler.Api;

namespace Platform.Autoscaler.Core.Resources;

/// <summary>
/// An immutable set of resource amounts in integer base units: cpu in millicores, memory and storage in bytes,
/// everything else (pods, GPUs, Neuron devices, EFA, any extended resource) in whole units.
/// Records at the edges use this; the solver compiles it into dense vectors.
/// </summary>
public sealed class ResourceList : IEquatable<ResourceList>
{
    private readonly FrozenDictionary<string, long> amounts;

    /// <summary>No resources.</summary>
    public static ResourceList Empty { get; } = new(new Dictionary<string, long>());

    private ResourceList(IEnumerable<KeyValuePair<string, long>> amounts) =>
        this.amounts = amounts.Where(kv => kv.Value != 0).ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Builds a list from base-unit amounts; zero entries are dropped.</summary>
    public static ResourceList Of(IEnumerable<KeyValuePair<string, long>> amounts) => new(amounts);

    /// <summary>Builds a list from base-unit amounts; zero entries are dropped.</summary>
    public static ResourceList Of(params (string Name, long Amount)[] amounts) =>
        new(amounts.Select(a => KeyValuePair.Create(a.Name, a.Amount)));

    /// <summary>Converts Kubernetes quantities (cpu rounds up to whole millicores, others up to whole units).</summary>
    public static ResourceList FromQuantities(IEnumerable<KeyValuePair<string, ResourceQuantity>>? quantities)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, quantity) in quantities ?? [])
        {
            result[name] = ToBaseUnits(name, quantity);
        }

        return new(result);
    }

    /// <summary>
    /// A quantity in this list's base units for the named resource; throws <see cref="FormatException"/> naming the
    /// resource for a negative amount or one beyond 64 bits (<see cref="Quantities"/>).
    /// </summary>
    public static long ToBaseUnits(string name, ResourceQuantity quantity) => Quantities.ToBaseUnits(name, quantity);

    /// <summary>The amount of a resource, zero when absent.</summary>
    public long this[string name] => amounts.GetValueOrDefault(name);

    /// <summary>The resources with a non-zero amount.</summary>
    public IEnumerable<string> Names => amounts.Keys;

    /// <summary>Name and amount pairs.</summary>
    public IEnumerable<KeyValuePair<string, long>> Entries => amounts;

    /// <summary>Element-wise sum.</summary>
    public ResourceList Add(ResourceList other) => Combine(other, 1);

    /// <summary>Element-wise difference (may go negative).</summary>
    public ResourceList Subtract(ResourceList other) => Combine(other, -1);

    /// <summary>Whether every amount here is at most the same amount in <paramref name="capacity"/>.</summary>
    public bool FitsIn(ResourceList capacity) => amounts.All(kv => kv.Value <= capacity[kv.Key]);

    /// <summary>Formats an amount for people: 1500m, 16Gi, 4.</summary>
    public static string Format(string name, long amount) => name switch
    {
        WellKnownResources.Cpu => amount % 1000 == 0 ? (amount / 1000).ToString(CultureInfo.InvariantCulture) : $"{amount}m",
        WellKnownResources.Memory or WellKnownResources.EphemeralStorage => FormatBytes(amount),
        _ => amount.ToString(CultureInfo.InvariantCulture),
    };

    /// <inheritdoc />
    public override string ToString() =>
        string.Join(", ", amounts.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={Format(kv.Key, kv.Value)}"));

    /// <inheritdoc />
    public bool Equals(ResourceList? other) =>
        other is not null && other.amounts.Count == amounts.Count && amounts.All(kv => other[kv.Key] == kv.Value);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ResourceList);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = 0;
        foreach (var (name, amount) in amounts)
        {
            hash ^= HashCode.Combine(name, amount);
        }

        return hash;
    }

    private ResourceList Combine(ResourceList other, long sign)
    {
        var result = new Dictionary<string, long>(amounts, StringComparer.Ordinal);
        foreach (var (name, amount) in other.amounts)
        {
            result[name] = result.GetValueOrDefault(name) + sign * amount;
        }

        return new(result);
    }

    private static string FormatBytes(long bytes)
    {
        string[] units = ["", "Ki", "Mi", "Gi", "Ti", "Pi"];
        var unit = 0;
        var value = (double)bytes;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1 && value % 1024 == 0)
        {
            value /= 1024;
            unit++;
        }

        return value.ToString(CultureInfo.InvariantCulture) + units[unit];
    }
}
