using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace Platform.Infra.Blueprint.Settings;

/// <summary>EC2 instance type names the settings may use for managed node groups.</summary>
internal static partial class InstanceTypes
{
    // Current general-purpose, compute, memory and accelerated families; a name outside them is a typo far more often
    // than a new family (add it here when AWS launches one).
    private static readonly FrozenSet<string> Families = new[]
    {
        "t3", "t3a", "t4g", "m5", "m5a", "m5n", "m6a", "m6g", "m6i", "m6in", "m7a", "m7g", "m7i", "m7i-flex", "m8g",
        "c5", "c5a", "c5n", "c6a", "c6g", "c6i", "c6in", "c7a", "c7g", "c7i", "c8g", "r5", "r5a", "r6a", "r6g", "r6i",
        "r7a", "r7g", "r7i", "r8g", "g4dn", "g5", "g5g", "g6", "g6e", "gr6", "p3", "p4d", "p4de", "p5", "p5e", "p5en",
        "inf2", "trn1", "trn1n", "trn2",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static bool IsKnown(string name)
    {
        var match = Shape().Match(name);
        return match.Success && Families.Contains(match.Groups[1].Value);
    }

    public static string KnownFamilies => string.Join(", ", Families.Order(StringComparer.Ordinal));

    [GeneratedRegex(@"^([a-z][a-z0-9-]*)\.(nano|micro|small|medium|large|xlarge|[1-9][0-9]*xlarge|metal(-[0-9]+xl)?)$")]
    private static partial Regex Shape();
}
