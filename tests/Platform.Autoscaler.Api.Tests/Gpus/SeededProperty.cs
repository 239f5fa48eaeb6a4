using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace Platform.Autoscaler.Api.Tests.Gpus;

/// <summary>Runs a property over seeds from a fixed FsCheck start (PROPERTY_SEED explores others); the failing seed is printed.</summary>
internal static class SeededProperty
{
    public static void Check(int runs, Func<Random, bool> property)
    {
        var start = ulong.TryParse(Environment.GetEnvironmentVariable("PROPERTY_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out var chosen) ? chosen : 20260720UL;
        var replay = new Replay(new Rnd(start, 0x9E3779B97F4A7C15UL), FSharpOption<int>.None);
        Prop.ForAll(Gen.Choose(0, int.MaxValue - 1).ToArbitrary(), seed => property(new Random(seed)).Label($"seed {seed}"))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(runs).WithReplay(FSharpOption<Replay>.Some(replay)));
    }
}
