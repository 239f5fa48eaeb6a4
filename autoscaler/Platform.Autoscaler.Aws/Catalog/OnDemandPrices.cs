using System.Globalization;

namespace Platform.Autoscaler.Aws.Catalog;

/// <summary>Reads the on-demand price table (<c>instance_type,on_demand_usd_per_hour</c>).</summary>
public static class OnDemandPrices
{
    /// <summary>Lines reported before the rest are summed up: a wrong file should not flood the terminal.</summary>
    public const int MaxErrors = 20;

    /// <summary>
    /// Parses the CSV text. Every malformed line is an error naming the file and its line number: a missing column,
    /// a price that is not a finite number of at least zero (NaN, Infinity and words are refused), an empty or repeated
    /// instance type. They are thrown together as one <see cref="FormatException"/>, one line each.
    /// </summary>
    public static IReadOnlyDictionary<string, double> Parse(string csv, string source = "prices")
    {
        var prices = new Dictionary<string, double>(StringComparer.Ordinal);
        var errors = new List<string>();
        var lines = csv.Split('\n');
        if (lines[0].Trim().TrimStart('\uFEFF') != "instance_type,on_demand_usd_per_hour")
        {
            errors.Add($"{source}:1: expected the header instance_type,on_demand_usd_per_hour, got \"{Shorten(lines[0].Trim())}\"");
        }

        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var parts = line.Split(',');
            var price = 0.0;
            var problem = parts.Length != 2 ? "expected instance_type,on_demand_usd_per_hour"
                : parts[0].Length == 0 ? "the instance type is empty"
                : !double.TryParse(parts[1], NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out price) || !double.IsFinite(price)
                    ? $"the price \"{Shorten(parts[1])}\" is not a number of dollars per hour such as 0.096"
                : prices.ContainsKey(parts[0]) ? $"{parts[0]} is listed twice"
                : null;
            if (problem is null)
            {
                prices[parts[0]] = price;
            }
            else
            {
                errors.Add($"{source}:{i + 1}: {problem}, got \"{Shorten(line)}\"");
            }
        }

        if (errors.Count > 0)
        {
            var shown = errors.Take(MaxErrors).ToList();
            if (errors.Count > MaxErrors)
            {
                shown.Add($"{source}: ... and {errors.Count - MaxErrors} more line(s) with errors");
            }

            throw new FormatException(string.Join("\n", shown));
        }

        return prices;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";
}
