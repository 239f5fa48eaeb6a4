namespace Platform.Autoscaler.Tests.RealApiServer.Host;

/// <summary>A loop on its own task until disposed: the token it gets is cancelled then, and disposal waits for it to end.</summary>
internal sealed class BackgroundLoop : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public BackgroundLoop(Func<CancellationToken, Task> body) => loop = Task.Run(() => body(stop.Token));

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await loop;
        }
        catch (OperationCanceledException)
        {
        }

        stop.Dispose();
    }
}
