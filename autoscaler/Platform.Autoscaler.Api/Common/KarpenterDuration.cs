using System.Globalization;
using System.Text.RegularExpressions;

namespace Platform.Autoscaler.Api;

/// <summary>Karpenter's durations: Go-style hours, minutes and seconds ("720h", "1h30m", "30s"), or "Never".</summary>
public static partial class KarpenterDuration
{
    /// <summary>The longest duration Go's time.Duration holds (2^63-1 ns), which Karpenter's parser accepts.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromTicks(long.MaxValue / 100);

    private const string MaxText = "2562047h47m16s";

    /// <summary>
    /// The CRD's rule for the same bound: CEL's duration() parses as Go does and fails beyond time.Duration, which the
    /// API server reports as an invalid value. The pattern alone lets 99999999999h through.
    /// </summary>
    public const string CelInRange = "duration(self) >= duration('0s')";

    /// <summary><see cref="CelInRange"/> for a field that may also be Never.</summary>
    public const string CelNillableInRange = "self == 'Never' || duration(self) >= duration('0s')";

    /// <summary>The message of both rules.</summary>
    public const string CelRangeMessage = "must be a duration of at most " + MaxText;

    /// <summary>The duration, or null for Never; throws <see cref="FormatException"/> for anything else.</summary>
    public static TimeSpan? Parse(string text) =>
        TryParse(text, out var value, out var problem) ? value : throw new FormatException(problem);

    /// <summary>Parses as <see cref="Parse"/> does; on failure <paramref name="problem"/> says why, for a field error.</summary>
    public static bool TryParse(string text, out TimeSpan? value, out string problem)
    {
        value = null;
        problem = "";
        if (text == "Never")
        {
            return true;
        }

        if (!Whole().IsMatch(text))
        {
            problem = $"\"{text}\" is not a duration such as 30s, 10m, 720h or 1h30m, nor Never";
            return false;
        }

        // Summed in seconds with overflow checks: Go's parser refuses what time.Duration cannot hold, so an
        // absurd value is an error here too, never a wrapped or saturated one.
        var maxSeconds = (long)Max.TotalSeconds;
        long seconds = 0;
        foreach (Match part in Part().Matches(text))
        {
            var unit = part.Groups[2].Value switch { "h" => 3600L, "m" => 60L, _ => 1L };
            if (!long.TryParse(part.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
                || amount > maxSeconds / unit
                || (seconds += amount * unit) > maxSeconds)
            {
                problem = $"duration \"{text}\" is out of range: the longest is {MaxText} (about 292 years)";
                return false;
            }
        }

        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    [GeneratedRegex(@"^([0-9]+(s|m|h))+$")]
    private static partial Regex Whole();

    [GeneratedRegex(@"([0-9]+)(s|m|h)")]
    private static partial Regex Part();
}
