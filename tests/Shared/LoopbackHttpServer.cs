using System.Net;

namespace Platform.Tests.Shared;

/// <summary>
/// The part every test HTTP server shares: a listener on a free 127.0.0.1 port, a loop handing each request to the
/// owner's answer (on its own task, or one at a time), and a stop that cancels <see cref="Stopping"/>, lets the owner
/// release what it holds, closes the listener and waits for the loop.
/// </summary>
internal sealed class LoopbackHttpServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Func<HttpListenerContext, Task> answer;
    private readonly bool oneAtATime;
    private readonly Action? onStopping;
    private readonly Task loop;

    /// <summary>Starts listening.</summary>
    /// <param name="answer">Answers one request.</param>
    /// <param name="oneAtATime">Answer requests in turn rather than concurrently.</param>
    /// <param name="onStopping">Runs after <see cref="Stopping"/> is cancelled and before the listener closes.</param>
    public LoopbackHttpServer(Func<HttpListenerContext, Task> answer, bool oneAtATime = false, Action? onStopping = null)
    {
        this.answer = answer;
        this.oneAtATime = oneAtATime;
        this.onStopping = onStopping;
        Port = Loopback.FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary>http://127.0.0.1:port.</summary>
    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>Cancelled when the server stops: long answers (watches, holds) end on it.</summary>
    public CancellationToken Stopping => stop.Token;

    /// <inheritdoc />
    public void Dispose()
    {
        stop.Cancel();
        onStopping?.Invoke();
        listener.Stop();
        listener.Close();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // closing the listener ends the loop with an exception
        }

        stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            if (oneAtATime)
            {
                await answer(context).ConfigureAwait(false);
            }
            else
            {
                _ = Task.Run(() => answer(context));
            }
        }
    }
}
