using System.Globalization;

namespace Platform.Autoscaler.Cli;

/// <summary>
/// A progress line on stderr while large manifest files are read: one line redrawn in place at most five times a
/// second. Shown only when stderr is a terminal, so piped output and CI logs get none.
/// </summary>
internal sealed class ReadProgress(TextWriter error, TimeProvider time)
{
    /// <summary>Files smaller than this are read before anyone could read the line.</summary>
    public const long MinBytes = 4 << 20;

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private long lastDraw = long.MinValue;
    private int drawnLength;

    /// <summary>A display for the console, or null when stderr is not a terminal.</summary>
    public static ReadProgress? ForConsole(TextWriter error) =>
        ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") != "dumb"
            ? new ReadProgress(error, TimeProvider.System)
            : null;

    /// <summary>Reports characters read of a file of <paramref name="total"/> characters (an estimate from its size).</summary>
    public void Report(string file, long read, long total)
    {
        var now = time.GetTimestamp();
        if (lastDraw != long.MinValue && time.GetElapsedTime(lastDraw, now) < Interval)
        {
            return;
        }

        lastDraw = now;
        var line = Line(file, read, total);
        error.Write("\r" + line.PadRight(drawnLength));
        drawnLength = line.Length;
    }

    /// <summary>Clears the line once reading is done, so what follows starts at the margin.</summary>
    public void Done()
    {
        if (drawnLength > 0)
        {
            error.Write("\r" + new string(' ', drawnLength) + "\r");
            drawnLength = 0;
        }
    }

    /// <summary>The line: file, megabytes read of the total, percent.</summary>
    public static string Line(string file, long read, long total)
    {
        var percent = total <= 0 ? 100 : Math.Clamp(read * 100 / total, 0, 100);
        return string.Create(CultureInfo.InvariantCulture, $"reading {file}: {read / 1e6:F1} of {total / 1e6:F1} MB ({percent}%)");
    }
}
