using k8s.Models;

namespace Platform.Autoscaler.Api;

/// <summary>
/// Kubernetes quantities in the autoscaler's integer base units: cpu in millicores, memory and storage in bytes,
/// everything else in whole units, rounded up. One function decides what the autoscaler can use, so `validate`
/// refuses exactly what the solver would fail on: a negative amount, or one beyond a 64-bit count of base units.
/// </summary>
public static class Quantities
{
    /// <summary>Converts, or says why not (for a field error naming the value as written).</summary>
    public static bool TryToBaseUnits(string resource, string text, out long value, out string problem)
    {
        value = 0;
        ResourceQuantity quantity;
        try
        {
            quantity = new ResourceQuantity(text);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            problem = $"invalid quantity \"{text}\": use a number with an optional suffix such as m, Ki, Mi, Gi, k, M, G";
            return false;
        }

        return TryToBaseUnits(resource, quantity, text, out value, out problem);
    }

    /// <summary>Converts, or says why not.</summary>
    public static bool TryToBaseUnits(string resource, ResourceQuantity? quantity, out long value, out string problem)
    {
        if (IsEmpty(quantity))
        {
            value = 0;
            problem = "must be a quantity such as 2, 500m or 16Gi, got null";
            return false;
        }

        return TryToBaseUnits(resource, quantity!, Written(quantity!), out value, out problem);
    }

    /// <summary>
    /// Whether a quantity holds no value: JSON null in a resource map reads as a ResourceQuantity with nothing inside,
    /// on which the client's own conversions throw NullReferenceException.
    /// </summary>
    public static bool IsEmpty(ResourceQuantity? quantity)
    {
        if (quantity is null)
        {
            return true;
        }

        try
        {
            return quantity.ToString() is null;
        }
        catch (NullReferenceException)
        {
            return true;
        }
    }

    /// <summary>
    /// A quantity as a plain number where one fits: the client's canonical form prints -4 as "-0.000000000000000004E"
    /// and 10^16 as "10P", neither of which is what anyone wrote.
    /// </summary>
    public static string Written(ResourceQuantity quantity)
    {
        try
        {
            return (quantity.ToDecimal() / 1.000000000000000000000000000000000m).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (OverflowException)
        {
            return quantity.ToString();
        }
    }

    /// <summary>Converts, throwing <see cref="FormatException"/> with the reason when it cannot.</summary>
    public static long ToBaseUnits(string resource, ResourceQuantity quantity) =>
        TryToBaseUnits(resource, quantity, out var value, out var problem) ? value : throw new FormatException($"{resource}: {problem}");

    private static bool TryToBaseUnits(string resource, ResourceQuantity quantity, string written, out long value, out string problem)
    {
        value = 0;
        problem = "";
        decimal amount;
        try
        {
            amount = quantity.ToDecimal();
        }
        catch (OverflowException)
        {
            problem = OutOfRange(resource, written);
            return false;
        }

        if (amount < 0)
        {
            problem = $"must not be negative, got {written}";
            return false;
        }

        var scale = resource == WellKnownResources.Cpu ? 1000m : 1m;
        if (amount > long.MaxValue / scale)
        {
            problem = OutOfRange(resource, written);
            return false;
        }

        value = (long)decimal.Ceiling(amount * scale);
        return true;
    }

    private static string OutOfRange(string resource, string written) => resource == WellKnownResources.Cpu
        ? $"quantity {written} is out of range: cpu is counted in millicores, at most {long.MaxValue / 1000} cores"
        : $"quantity {written} is out of range: at most {long.MaxValue} {(resource is WellKnownResources.Memory or WellKnownResources.EphemeralStorage ? "bytes" : "units")}";
}
