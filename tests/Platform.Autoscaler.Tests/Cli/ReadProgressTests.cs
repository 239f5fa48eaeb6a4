using Microsoft.Extensions.Time.Testing;
using Platform.Autoscaler.Cli;

namespace Platform.Autoscaler.Tests.Cli;

/// <summary>The progress line while a large file is read: redrawn in place, at most five times a second, cleared at the end.</summary>
public sealed class ReadProgressTests
{
    [Fact]
    public void Report_WithinTheInterval_DrawsOnce_ThenAgainAfterIt()
    {
        var time = new FakeTimeProvider();
        var error = new StringWriter();
        var progress = new ReadProgress(error, time);

        progress.Report("big.yaml", 1_000_000, 50_000_000);
        progress.Report("big.yaml", 2_000_000, 50_000_000);
        time.Advance(TimeSpan.FromMilliseconds(250));
        progress.Report("big.yaml", 25_000_000, 50_000_000);

        Assert.Equal(
            "\rreading big.yaml: 1.0 of 50.0 MB (2%)" + "\rreading big.yaml: 25.0 of 50.0 MB (50%)",
            error.ToString());
    }

    [Fact]
    public void Done_ClearsTheLongestLineDrawn_SoWhatFollowsStartsAtTheMargin()
    {
        var error = new StringWriter();
        var progress = new ReadProgress(error, new FakeTimeProvider());
        progress.Report("a.yaml", 5_000_000, 10_000_000);
        var drawn = error.ToString().Length - 1;

        progress.Done();

        Assert.EndsWith("\r" + new string(' ', drawn) + "\r", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ForConsole_ErrorIsNotTheConsole_NoProgress() =>
        Assert.Null(ReadProgress.ForConsole(new StringWriter()));

    [Theory]
    [InlineData(0, 0, "(100%)")]
    [InlineData(70, 50, "(100%)")]
    [InlineData(1, 3, "(33%)")]
    public void Line_PercentIsClampedAndWhole(long read, long total, string expected) =>
        Assert.EndsWith(expected, ReadProgress.Line("f", read, total), StringComparison.Ordinal);
}
