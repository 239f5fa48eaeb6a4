using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace Platform.Autoscaler.Core.Tests.TestKit;

/// <summary>
/// Runs a property over scenario seeds the same way every time: FsCheck starts from a fixed seed (PROPERTY_SEED
/// picks another, to explore), and seeds that once failed are checked first, so a fixed bug stays fixed.
/// </summary>
internal static class Properties
{
    private const ulong DefaultStart = 20261123;

    /// <summary>Checks <paramref name="property"/> on each regression seed, then on <paramref name="runs"/> generated ones.</summary>
    public static void Check(int runs, IEnumerable<int> regressions, Func<int, bool> property)
    {
        foreach (var seed in regressions)
        {
            Assert.True(property(seed), $"regression seed {seed}");
        }

        var start = ulong.TryParse(Environment.GetEnvironmentVariable("PROPERTY_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out var chosen) ? chosen : DefaultStart;
        // FsCheck's splittable generator needs an odd gamma.
        var replay = new Replay(new Rnd(start, 0x9E3779B97F4A7C15UL), FSharpOption<int>.None);
        Prop.ForAll(Gen.Choose(0, int.MaxValue - 1).ToArbitrary(), property)
            .Check(Config.QuickThrowOnFailure.WithMaxTest(runs).WithReplay(FSharpOption<Replay>.Some(replay)));
    }
}
