using System.Globalization;
using System.Text.RegularExpressions;

namespace Platform.Autoscaler.Api;

/// <summary>Karpenter's durations: Go-style hours, minutes and seconds ("720h", "1h30m", "30s"), or "Never".</summary>
public static partial class KarpenterDuration
{
    /// <summary>The duration, or null for Never; throws <see cref="FormatException"/> for anything else.</summary>
    public static TimeSpan? Parse(string text)
    {
        if (text == "Never")
        {
            return null;
        }

        if (!Whole().IsMatch(text))
        {
            throw new FormatException($"\"{text}\" is not a duration such as 30s, 10m, 720h or 1h30m, nor Never");
        }

        var total = TimeSpan.Zero;
        foreach (Match part in Part().Matches(text))
        {
            var amount = long.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            total += part.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(amount),
                "m" => TimeSpan.FromMinutes(amount),
                _ => TimeSpan.FromSeconds(amount),
            };
        }

        return total;
    }

    [GeneratedRegex(@"^([0-9]+(s|m|h))+$")]
    private static partial Regex Whole();

    [GeneratedRegex(@"([0-9]+)(s|m|h)")]
    private static partial Regex Part();
}
