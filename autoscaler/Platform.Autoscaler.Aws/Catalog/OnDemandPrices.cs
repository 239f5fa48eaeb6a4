using System.Globalization;

namespace Platform.Autoscaler.Aws.Catalog;

/// <summary>Reads the on-demand price table (<c>instance_type,on_demand_usd_per_hour</c>).</summary>
public static class OnDemandPrices
{
    /// <summary>Parses the CSV text; a malformed line is an error naming its number.</summary>
    public static IReadOnlyDictionary<string, double> Parse(string csv, string source = "prices")
    {
        var prices = new Dictionary<string, double>(StringComparer.Ordinal);
        var lines = csv.Split('\n');
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var parts = line.Split(',');
            if (parts.Length != 2 || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var price) || price < 0)
            {
                throw new FormatException($"{source}:{i + 1}: expected instance_type,on_demand_usd_per_hour, got \"{line}\"");
            }

            prices[parts[0]] = price;
        }

        return prices;
    }
}
