using Platform.Autoscaler.Simulation.Cli;
using Platform.Autoscaler.Simulation;

namespace Platform.Autoscaler.Simulation.Tests.Cli;

public sealed class SimulationProgressTests
{
    private static readonly TimeSpan Day = TimeSpan.FromHours(24);
    private static readonly TimelinePoint Noon = new(12, Nodes: 25, SpotNodes: 20, GpuNodes: 21, PodsBound: 30, PodsPending: 2, HourlyCost: 17.5);

    [Fact]
    public void Line_HalfwayThroughTheDay_FillsHalfTheBarAndShowsPodsNodesAndCost()
    {
        var line = SimulationProgress.Line("autoscaler", Noon with { Spent = 123.456 }, Day, width: 160);

        Assert.True(line.Length < 160, line);
        var bar = line[(line.IndexOf('[', StringComparison.Ordinal) + 1)..line.IndexOf(']', StringComparison.Ordinal)];
        Assert.Equal("####################....................", bar);
        Assert.EndsWith("] 12:00/24:00  pods 30 (+2 pending)  nodes 25 (20 spot, 21 GPU)  $17.50/h  spent $123.46", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Line_EightyColumns_DropsTheBreakdownsButKeepsEveryFigure()
    {
        var line = SimulationProgress.Line("autoscaler", Noon with { Spent = 1 }, Day, width: 80);

        Assert.True(line.Length < 80, line);
        Assert.EndsWith("] 12:00/24:00  pods 30 (+2)  nodes 25  $17.50/h  $1.00", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Line_VeryNarrowTerminal_IsCutShortOfTheWidthSoItNeverWraps()
    {
        var line = SimulationProgress.Line("autoscaler", Noon with { Spent = 1 }, Day, width: 40);

        Assert.Equal(39, line.Length);
        Assert.StartsWith("autoscaler [#####.....]", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_RedrawsOneLineInPlace_DoneShowsTheWholeRunAndEndsTheLine()
    {
        using var error = new StringWriter();
        var progress = new SimulationProgress(error, "autoscaler", Day, 140);
        var result = new SimulationResult
        {
            Scenario = "day", Hours = 24, Seconds = 1, PodsPlaced = 30, PodsUnplaced = 0, Violations = [], Cost = 300, SpotShare = 0.8,
            Fallbacks = 0, InterruptionsHandled = 0, Consolidations = 0, PendingSeconds = (0, 0), Launches = new Dictionary<string, int>(),
            Timeline = [Noon with { Hour = 23.9 }], Decisions = [],
        };

        progress.Report(Noon with { Hour = 0 });
        progress.Report(Noon with { Spent = 100 });
        progress.Done(result);

        var text = error.ToString();
        Assert.Equal(3, text.Count(c => c == '\r'));
        Assert.Single(text, '\n');
        var final = text.Split('\r')[^1];
        Assert.Matches(@"^autoscaler \[#+\] 24:00/24:00 .* spent \$300\.00\s*\n$", final);
    }

    [Fact]
    public void ForConsole_CapturedOutputOrJson_ShowsNothing()
    {
        Assert.Null(SimulationProgress.ForConsole(new StringWriter(), json: false, "autoscaler", Day));
        Assert.Null(SimulationProgress.ForConsole(Console.Error, json: true, "autoscaler", Day));
    }
}
