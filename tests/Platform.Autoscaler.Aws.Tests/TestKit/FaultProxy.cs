using System.Net;
using System.Text;
using Platform.Tests.Shared;

namespace Platform.Autoscaler.Aws.Tests.TestKit;

/// <summary>
/// An HTTP proxy on 127.0.0.1 between the SDK and moto_server that answers chosen EC2 actions itself, for faults
/// moto cannot produce (insufficient capacity, throttling); everything else passes through unchanged. Every request
/// is shown to <see cref="OnRequest"/> before it is answered, so the IAM contract can record what the code sent while
/// the resources it names still exist.
/// </summary>
public sealed class FaultProxy : IDisposable
{
    private readonly HttpClient upstream = new();
    private readonly string target;
    private readonly LoopbackHttpServer server;

    public FaultProxy(string target)
    {
        this.target = target;
        server = new LoopbackHttpServer(HandleAsync, oneAtATime: true);
    }

    public int Port => server.Port;

    public string Endpoint => server.Url;

    /// <summary>Per action, a function of the request body returning a canned (status, XML) answer, or null to pass through.</summary>
    public Dictionary<string, Func<string, (int Status, string Body)?>> Faults { get; } = new(StringComparer.Ordinal);

    public List<string> Actions { get; } = [];

    /// <summary>Called with each request (its action, headers and body) before it is answered or forwarded.</summary>
    public Func<ProxiedRequest, Task>? OnRequest { get; set; }

    public void Dispose()
    {
        server.Dispose();
        upstream.Dispose();
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync().ConfigureAwait(false);
        // Query protocol (EC2, SQS) names the action in the body; JSON protocol (SSM) in the X-Amz-Target header.
        var action = context.Request.Headers["X-Amz-Target"]
            ?? body.Split('&').Select(p => p.Split('=')).FirstOrDefault(p => p[0] == "Action")?.ElementAtOrDefault(1) ?? "";
        lock (Actions)
        {
            Actions.Add(action);
        }

        if (OnRequest is { } observe)
        {
            await observe(new ProxiedRequest(action, context.Request.Headers["Authorization"] ?? "", context.Request.RawUrl ?? "/", body)).ConfigureAwait(false);
        }

        if (Faults.TryGetValue(action, out var fault) && fault(body) is { } answer)
        {
            var contentType = answer.Body.TrimStart().StartsWith('{') ? "application/x-amz-json-1.1" : "text/xml";
            await Respond(context, answer.Status, contentType, Encoding.UTF8.GetBytes(answer.Body)).ConfigureAwait(false);
            return;
        }

        using var request = new HttpRequestMessage(new HttpMethod(context.Request.HttpMethod), target + context.Request.RawUrl)
        {
            Content = new StringContent(body, Encoding.UTF8, context.Request.ContentType?.Split(';')[0] ?? "application/x-www-form-urlencoded"),
        };
        foreach (var header in context.Request.Headers.AllKeys.Where(h => h is not null && h is not ("Host" or "Content-Length" or "Content-Type")))
        {
            request.Headers.TryAddWithoutValidation(header!, context.Request.Headers[header]);
        }

        using var response = await upstream.SendAsync(request).ConfigureAwait(false);
        await Respond(context, (int)response.StatusCode, response.Content.Headers.ContentType?.ToString() ?? "text/xml",
            await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false)).ConfigureAwait(false);
    }

    private static async Task Respond(HttpListenerContext context, int status, string contentType, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength64 = body.Length;
        await context.Response.OutputStream.WriteAsync(body).ConfigureAwait(false);
        context.Response.Close();
    }
}
