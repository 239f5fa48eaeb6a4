using System.Globalization;
using Platform.Autoscaler.Simulation;

namespace Platform.Autoscaler.Simulation.Cli;

/// <summary>
/// simulate's progress on stderr: one line redrawn in place, a bar of simulated time followed by pods, nodes and
/// cost. Shown only when both stdout and stderr are a terminal and --json is off, so piped output, logs and CI stay
/// free of carriage returns.
/// </summary>
internal sealed class SimulationProgress(TextWriter error, string label, TimeSpan duration, int width)
{
    private string last = "";

    /// <summary>A display for the console, or null when it should stay off.</summary>
    public static SimulationProgress? ForConsole(TextWriter error, bool json, string label, TimeSpan duration)
    {
        var interactive = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected && !Console.IsOutputRedirected
            && Environment.GetEnvironmentVariable("TERM") != "dumb";
        return json || !interactive ? null : new SimulationProgress(error, label, duration, TerminalWidth());
    }

    /// <summary>Redraws the line for a timeline sample (with what had been spent by then).</summary>
    public void Report(TimelinePoint point)
    {
        var line = Line(label, point, duration, width);
        // Padding to the previous length wipes what a longer line left behind.
        error.Write("\r" + line.PadRight(last.Length));
        last = line;
    }

    /// <summary>Draws the run's end (the last sample is one sampling period short of it) and ends the line.</summary>
    public void Done(SimulationResult result)
    {
        if (result.Timeline.Count > 0)
        {
            Report(result.Timeline[^1] with { Hour = result.Hours, Spent = result.Cost });
            error.WriteLine();
        }
    }

    /// <summary>
    /// The line for one sample, shorter than <paramref name="width"/> (a full-width line wraps and breaks the redraw):
    /// label, bar, simulated time, pods bound and pending, nodes with spot and GPU, hourly cost, spent. A narrow
    /// terminal gets the figures without the breakdowns, then a cut line.
    /// </summary>
    public static string Line(string label, TimelinePoint point, TimeSpan duration, int width)
    {
        const int MinBar = 10;
        const int MaxBar = 40;
        // Labels padded to one width, so the bars of the autoscaler's run and the baseline's line up.
        label = label.PadRight(10);
        var elapsed = TimeSpan.FromHours(point.Hour);
        var time = $" {Clock(elapsed)}/{Clock(duration)}";
        var figures = string.Create(CultureInfo.InvariantCulture,
            $"{time}  pods {point.PodsBound} (+{point.PodsPending} pending)  nodes {point.Nodes} ({point.SpotNodes} spot, {point.GpuNodes} GPU)  ${point.HourlyCost:F2}/h  spent ${point.Spent:F2}");
        var room = width - 1 - label.Length - 3 - figures.Length;
        if (room < MinBar)
        {
            figures = string.Create(CultureInfo.InvariantCulture,
                $"{time}  pods {point.PodsBound} (+{point.PodsPending})  nodes {point.Nodes}  ${point.HourlyCost:F2}/h  ${point.Spent:F2}");
            room = width - 1 - label.Length - 3 - figures.Length;
        }

        var bar = Math.Clamp(room, MinBar, MaxBar);
        var filled = duration <= TimeSpan.Zero ? bar : (int)Math.Round(Math.Clamp(elapsed / duration, 0, 1) * bar);
        var line = $"{label} [{new string('#', filled)}{new string('.', bar - filled)}]{figures}";
        return line.Length < width ? line : line[..Math.Max(0, width - 1)];
    }

    private static string Clock(TimeSpan time) => string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalHours:00}:{time.Minutes:00}");

    private static int TerminalWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 80;
        }
        catch (IOException)
        {
            return 80;
        }
    }
}
