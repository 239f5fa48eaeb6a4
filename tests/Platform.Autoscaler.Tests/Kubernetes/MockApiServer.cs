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
    private readonly LoopbackHttpServer server;

    public MockApiServer() => server = new LoopbackHttpServer(AnswerAsync);

    public int Port => server.Port;

    public string Url => server.Url;

    /// <summary>Answers in order: (is this a watch?, lines to send). A watch with no more answers stays open until disposal.</summary>
    public Queue<(bool Watch, string[] Lines)> Script { get; } = new();

    public List<string> Requests { get; } = [];

    public void Dispose() => server.Dispose();

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
                await context.Response.OutputStream.WriteAsync(bytes, server.Stopping);
                await context.Response.OutputStream.FlushAsync(server.Stopping);
            }

            if (watch && answer.Lines.Length == 0)
            {
                await Task.Delay(Timeout.Infinite, server.Stopping); // an idle watch
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
