namespace Platform.Benchmarks;

/// <summary>Samples the managed heap while a measured action runs and keeps the highest reading.</summary>
internal sealed class PeakMemory : IDisposable
{
    private readonly Thread sampler;
    private volatile bool running = true;
    private long peak;

    public PeakMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        peak = GC.GetTotalMemory(false);
        sampler = new Thread(() =>
        {
            while (running)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(false));
                Thread.Sleep(5);
            }
        }) { IsBackground = true };
        sampler.Start();
    }

    public long PeakBytes
    {
        get
        {
            peak = Math.Max(peak, GC.GetTotalMemory(false));
            return peak;
        }
    }

    public void Dispose()
    {
        running = false;
        sampler.Join();
    }
}
