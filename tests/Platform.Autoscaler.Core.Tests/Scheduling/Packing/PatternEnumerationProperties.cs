using Platform.Autoscaler.Core.Scheduling.Packing;
using Platform.Autoscaler.Core.Tests.TestKit;

namespace Platform.Autoscaler.Core.Tests.Scheduling.Packing;

/// <summary>The enumeration of patterns within the gap, against every pattern of small random kinds counted out by hand.</summary>
public sealed class PatternEnumerationProperties
{
    /// <summary>A kind of two resources and a few items of random sizes and worths, and a threshold between nothing and the best.</summary>
    private static (PackingProblem Problem, double[] Worth, double Least) Instance(int seed)
    {
        var random = new Random(seed);
        var count = random.Next(1, 5);
        var items = Enumerable.Range(0, count).Select(_ =>
            new PackingItem([random.Next(1, 6), random.Next(1, 6)], random.Next(1, 5), 0, 0, [0])).ToList();
        var allows = new ItemSet(count);
        foreach (var i in Enumerable.Range(0, count).Where(_ => random.Next(5) > 0))
        {
            allows.Add(i);
        }

        var kind = new PackingKind(0, 0, [random.Next(4, 14), random.Next(4, 14)], [0, 0], 1, allows);
        var problem = new PackingProblem(items, [kind], [new PackingPool([long.MaxValue, long.MaxValue], int.MaxValue)], 1, []);
        var worth = items.Select(_ => random.Next(3) == 0 ? 0 : random.NextDouble()).ToArray();
        return (problem, worth, random.NextDouble() * 3);
    }

    /// <summary>Every pattern of the kind (each item from none to all its pods), as the enumeration should see them.</summary>
    private static IEnumerable<int[]> AllPatterns(PackingProblem problem)
    {
        IEnumerable<int[]> From(int item) => item == problem.Items.Count
            ? [new int[problem.Items.Count]]
            : From(item + 1).SelectMany(rest => Enumerable.Range(0, problem.Items[item].Total + 1).Select(n =>
            {
                var pattern = (int[])rest.Clone();
                pattern[item] = n;
                return pattern;
            }));

        return From(0);
    }

    private static bool Fits(PackingProblem problem, int[] counts, int extra = -1)
    {
        var kind = problem.Kinds[0];
        for (var r = 0; r < kind.Free.Length; r++)
        {
            var used = counts.Select((n, i) => (n + (i == extra ? 1 : 0)) * problem.Items[i].Request[r]).Sum();
            if (used > kind.Free[r])
            {
                return false;
            }
        }

        return counts.Select((n, i) => n + (i == extra ? 1 : 0) <= problem.Items[i].Total && (n + (i == extra ? 1 : 0) == 0 || problem.Kinds[0].Allows.Contains(i))).All(x => x);
    }

    private static double Worth(int[] counts, double[] worth) => counts.Select((n, i) => n * worth[i]).Sum();

    [Fact]
    public void Enumerate_FindsEveryMaximalPatternWorthTheThreshold_AndNothingElse() => Properties.Check(300, [], seed =>
    {
        var (problem, worth, least) = Instance(seed);
        var found = new List<PackingPattern>();
        Assert.True(new PatternEnumeration(problem, 1_000_000).Enumerate(0, worth, least, int.MaxValue, found));

        // Maximal in the items worth something: no pod of one more fits. Items worth nothing only fill what is left.
        var valued = Enumerable.Range(0, worth.Length).Where(i => worth[i] > 1e-12).ToList();
        string Key(int[] counts) => string.Join(",", valued.Select(i => counts[i]));
        var expected = AllPatterns(problem)
            .Where(p => Fits(problem, p) && valued.Any(i => p[i] > 0) && Enumerable.Range(0, worth.Length).All(i => valued.Contains(i) || p[i] == 0)
                && Worth(p, worth) >= least - 1e-9 && valued.All(i => !Fits(problem, p, extra: i)))
            .Select(Key).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, found.Select(p => Key(p.Counts)).Order(StringComparer.Ordinal).ToList());
        Assert.All(found, p => Assert.True(Fits(problem, p.Counts), $"seed {seed}: {string.Join(",", p.Counts)} does not fit"));
        return true;
    });

    [Fact]
    public void Enumerate_OutOfStepsOrPastTheCap_SaysSo() => Properties.Check(100, [], seed =>
    {
        var (problem, worth, _) = Instance(seed);
        var all = new List<PackingPattern>();
        new PatternEnumeration(problem, 1_000_000).Enumerate(0, worth, 0, int.MaxValue, all);

        var capped = new List<PackingPattern>();
        var complete = new PatternEnumeration(problem, 1_000_000).Enumerate(0, worth, 0, all.Count - 1, capped);
        Assert.Equal(all.Count == 0, complete);

        var starved = new PatternEnumeration(problem, 1);
        var none = new List<PackingPattern>();
        // One step is the root's: with any item to decide, the enumeration stops short (and says so).
        var anything = Enumerable.Range(0, worth.Length).Any(i => worth[i] > 1e-12 && Fits(problem, new int[worth.Length], extra: i));
        Assert.Equal(!anything, starved.Enumerate(0, worth, 0, int.MaxValue, none));
        Assert.Equal(anything, starved.OutOfSteps);
        return true;
    });
}
