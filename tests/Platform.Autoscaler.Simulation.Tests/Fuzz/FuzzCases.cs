using System.Globalization;

namespace Platform.Autoscaler.Simulation.Tests.Fuzz;

/// <summary>
/// Runs a reader over seeded random cases: one in ten is garbage, the rest mutations of a valid input. The same
/// seeds run every time (FUZZ_SEED explores others); a failure names its case's seed and input.
/// </summary>
internal static class FuzzCases
{
    private const int DefaultSeed = 20261203;

    public static void Run(int cases, string valid, Action<int, string> check)
    {
        var start = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out var chosen) ? chosen : DefaultSeed;
        for (var i = 0; i < cases; i++)
        {
            var seed = start + i;
            var random = new Random(seed);
            var input = random.Next(10) == 0 ? Mutator.Garbage(random) : Mutator.Mutate(valid, random);
            try
            {
                check(seed, input);
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"fuzz case {seed} failed: {e.Message}\n--- input ---\n{(input.Length > 3000 ? input[..3000] + "..." : input)}", e);
            }
        }
    }
}
