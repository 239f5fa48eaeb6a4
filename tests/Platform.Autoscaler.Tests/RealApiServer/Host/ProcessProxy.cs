using System.Net;
using System.Text;
using Platform.Tests.Shared;

namespace Platform.Autoscaler.Tests.RealApiServer.Host;

/// <summary>One request as a <see cref="ProcessProxy"/> received it.</summary>
internal sealed record ProxiedRequest(string Method, string PathAndQuery, string Body)
{
    /// <summary>The path without the query.</summary>
    public string Path => PathAndQuery.Split('?')[0];

    /// <summary>A Kubernetes watch: its answer is a stream.</summary>
    public bool IsWatch => PathAndQuery.Contains("watch=true", StringComparison.Ordinal) || PathAndQuery.Contains("watch=1", StringComparison.Ordinal);

    /// <summary>The action of an AWS query-protocol request (EC2, SQS), from its form body; null for other requests.</summary>
    public string? AwsAction => Form("Action");

    /// <summary>One field of a form body, URL-decoded; null when absent.</summary>
    public string? Form(string name) => Body.Split('&').Select(p => p.Split('=', 2)).Where(p => p.Length == 2 && p[0] == name)
        .Select(p => Uri.UnescapeDataString(p[1].Replace('+', ' '))).FirstOrDefault();
}

/// <summary>An answer the proxy sends without asking upstream.</summary>
internal sealed record CannedAnswer(int Status, string ContentType, byte[] Body);

/// <summary>
/// An HTTP proxy on 127.0.0.1 between one autoscaler process and one upstream: the real API server (over TLS,
/// trusting its CA) or moto_server. It forwards each request as it came, the service account's token included, so
/// the API server authenticates and authorizes the service itself; watches are streamed. Each answered request is
/// shown to <c>killAfter</c>, which may kill the process there and then: the request has landed upstream and the
/// process never hears the answer. Once the process is dead nothing more is forwarded and open watches are cut.
/// </summary>
internal sealed class ProcessProxy : IDisposable
{
    private readonly HttpClient upstream;
    private readonly string target;
    private readonly ServiceProcess process;
    private readonly Func<ProxiedRequest, int, bool>? killAfter;
    private readonly Func<ProxiedRequest, CannedAnswer?>? canned;
    private readonly Action<ProxiedRequest, CannedAnswer>? answered;
    private readonly LoopbackHttpServer server;

    /// <param name="target">The upstream's base URL.</param>
    /// <param name="handler">How to reach it (TLS trust for the API server).</param>
    /// <param name="process">The process whose requests these are.</param>
    /// <param name="killAfter">Told of each non-watch request and its status once upstream answered; true kills the process before the answer goes back.</param>
    /// <param name="canned">An answer to send instead of asking upstream, or null to forward.</param>
    /// <param name="answered">Told of each forwarded non-watch request with upstream's full answer.</param>
    public ProcessProxy(
        string target, HttpMessageHandler handler, ServiceProcess process, Func<ProxiedRequest, int, bool>? killAfter = null,
        Func<ProxiedRequest, CannedAnswer?>? canned = null, Action<ProxiedRequest, CannedAnswer>? answered = null)
    {
        this.target = target.TrimEnd('/');
        this.process = process;
        this.killAfter = killAfter;
        this.canned = canned;
        this.answered = answered;
        upstream = new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        server = new LoopbackHttpServer(HandleAsync);
    }

    /// <summary>http://127.0.0.1:port.</summary>
    public string Url => server.Url;

    public void Dispose()
    {
        server.Dispose();
        upstream.Dispose();
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(process.Dead, server.Stopping);
        try
        {
            await ForwardAsync(context, stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or HttpListenerException or IOException or ObjectDisposedException)
        {
            // The process died (or the test ended) with this request open; or the process went away mid-answer.
            Abort(context);
        }
    }

    private async Task ForwardAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        var request = new ProxiedRequest(context.Request.HttpMethod, context.Request.RawUrl ?? "/", body);
        if (process.WasKilled)
        {
            throw new OperationCanceledException("the process was killed");
        }

        if (canned?.Invoke(request) is { } answer)
        {
            await RespondAsync(context, answer, cancellationToken).ConfigureAwait(false);
            return;
        }

        using var message = new HttpRequestMessage(new HttpMethod(request.Method), target + request.PathAndQuery);
        if (request.Method is not ("GET" or "HEAD") || body.Length > 0)
        {
            message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (context.Request.ContentType is { } contentType)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        foreach (var header in context.Request.Headers.AllKeys.OfType<string>()
            .Where(h => h is not ("Host" or "Content-Length" or "Content-Type" or "Connection" or "Accept-Encoding" or "Expect" or "Transfer-Encoding")))
        {
            message.Headers.TryAddWithoutValidation(header, context.Request.Headers[header]);
        }

        if (request.IsWatch)
        {
            await StreamAsync(context, message, cancellationToken).ConfigureAwait(false);
            return;
        }

        using var response = await upstream.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var result = new CannedAnswer((int)response.StatusCode, response.Content.Headers.ContentType?.ToString() ?? "application/json",
            await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
        answered?.Invoke(request, result);
        if (!process.WasKilled && killAfter?.Invoke(request, result.Status) == true)
        {
            process.Kill();
        }

        if (process.WasKilled)
        {
            throw new OperationCanceledException("the process was killed");
        }

        await RespondAsync(context, result, cancellationToken).ConfigureAwait(false);
    }

    private async Task StreamAsync(HttpListenerContext context, HttpRequestMessage message, CancellationToken cancellationToken)
    {
        using var response = await upstream.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? "application/json";
        context.Response.SendChunked = true;
        await using var from = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var to = context.Response.OutputStream;
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            await to.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        context.Response.Close();
    }

    private static async Task RespondAsync(HttpListenerContext context, CannedAnswer answer, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = answer.ContentType;
        context.Response.ContentLength64 = answer.Body.Length;
        await context.Response.OutputStream.WriteAsync(answer.Body, cancellationToken).ConfigureAwait(false);
        context.Response.Close();
    }

    private static void Abort(HttpListenerContext context)
    {
        try
        {
            context.Response.Abort();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            // already gone
        }
    }
}
