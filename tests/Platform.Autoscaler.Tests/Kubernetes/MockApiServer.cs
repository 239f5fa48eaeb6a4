using System.Net;
using System.Text;
using Platform.Tests.Shared;

namespace Platform.Autoscaler.Tests.Kubernetes;

/// <summary>
/// A stand-in for the Kubernetes API server on 127.0.0.1: each request is answered by the next scripted response
/// for its path (a JSON body, or watch events streamed line by line), and every request line is recorded.
/// </summary>
internal sealed class MockApiServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public MockApiServer()
    {
        Port = Loopback.FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>Answers in order: (is this a watch?, lines to send). A watch with no more answers stays open until disposal.</summary>
    public Queue<(bool Watch, string[] Lines)> Script { get; } = new();

    public List<string> Requests { get; } = [];

    public void Dispose()
    {
        stop.Cancel();
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
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var watch = context.Request.QueryString["watch"] == "true";
        lock (Requests)
        {
            Requests.Add($"{context.Request.HttpMethod} {context.Request.Url!.PathAndQuery}");
        }

        (bool Watch, string[] Lines) answer;
        lock (Script)
        {
            answer = Script.Count > 0 && Script.Peek().Watch == watch ? Script.Dequeue() : (watch, []);
        }

        context.Response.ContentType = "application/json";
        context.Response.SendChunked = watch;
        if (!watch)
        {
            context.Response.ContentLength64 = answer.Lines.Sum(l => Encoding.UTF8.GetByteCount(l + "\n"));
        }

        try
        {
            foreach (var line in answer.Lines)
            {
                var bytes = Encoding.UTF8.GetBytes(line + "\n");
                await context.Response.OutputStream.WriteAsync(bytes, stop.Token);
                await context.Response.OutputStream.FlushAsync(stop.Token);
            }

            if (watch && answer.Lines.Length == 0)
            {
                await Task.Delay(Timeout.Infinite, stop.Token); // an idle watch
            }
        }
        catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException)
        {
            // the test is over
        }

        try
        {
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            // already gone
        }
    }
}
