using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using Platform.Tests.Shared;

namespace Platform.Autoscaler.Tests.Kubernetes;

/// <summary>
/// A stateful stand-in for the Kubernetes API server on 127.0.0.1, enough for the real client: list, watch (with
/// bookmarks, replay from a resourceVersion, 410 after compaction), get, create, update, merge and strategic merge
/// patch, delete with finalizers, the status, eviction and binding subresources, for the resources in
/// <see cref="FakeResource.All"/>. Every request is recorded. Faults for tests: fail the next matching requests,
/// hold matching requests unanswered, close every watch, compact the history.
/// </summary>
internal sealed class FakeApiServer : IDisposable
{
    private readonly LoopbackHttpServer server;
    private readonly List<RecordedRequest> requests = [];
    private readonly List<(Func<RecordedRequest, bool> Matches, HttpStatusCode Code, int Remaining)> faults = [];
    private readonly List<RequestHold> holds = [];
    private readonly ITimer bookmarks;

    public FakeApiServer(TimeProvider? time = null, TimeSpan? bookmarkInterval = null)
    {
        Store = new FakeObjectStore(time ?? TimeProvider.System);
        var interval = bookmarkInterval ?? TimeSpan.FromMilliseconds(200);
        bookmarks = TimeProvider.System.CreateTimer(_ => Store.Bookmark(), null, interval, interval);
        server = new LoopbackHttpServer(AnswerAsync, onStopping: ReleaseWaiters);
    }

    public int Port => server.Port;

    public string Url => server.Url;

    public FakeObjectStore Store { get; }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (requests)
            {
                return [.. requests];
            }
        }
    }

    public k8s.Kubernetes Client() => new(new KubernetesClientConfiguration { Host = Url });

    /// <summary>Answers the next <paramref name="count"/> requests that match with <paramref name="code"/> and a Status body.</summary>
    public void FailNext(Func<RecordedRequest, bool> matches, int count, HttpStatusCode code)
    {
        lock (faults)
        {
            faults.Add((matches, code, count));
        }
    }

    /// <summary>How many injected failures are still to be served.</summary>
    public int PendingFaults
    {
        get
        {
            lock (faults)
            {
                return faults.Sum(f => f.Remaining);
            }
        }
    }

    /// <summary>Keeps matching requests waiting, unanswered, until the hold is disposed.</summary>
    public RequestHold Hold(Func<RecordedRequest, bool> matches)
    {
        var hold = new RequestHold(matches);
        lock (holds)
        {
            holds.Add(hold);
        }

        return hold;
    }

    /// <summary>Ends every open watch stream, as a dropped connection would.</summary>
    public void CloseWatches() => Store.CloseWatches();

    /// <summary>Drops the event history: a watch from any earlier resourceVersion gets 410 Gone.</summary>
    public void Compact() => Store.Compact();

    /// <summary>Seeds an object as it is, status included.</summary>
    public JsonObject Put(FakeResource resource, object item)
    {
        var json = JsonNode.Parse(KubernetesJson.Serialize(item))!.AsObject();
        var result = Store.Create(resource, (string?)json["metadata"]?["namespace"], json, keepStatus: true);
        return result.Succeeded ? result.Body : throw new InvalidOperationException(result.Body.ToJsonString());
    }

    /// <summary>One stored object, typed; null when absent.</summary>
    public T? Get<T>(FakeResource resource, string? ns, string name)
        where T : class => Store.Find(resource, ns, name) is { } json ? KubernetesJson.Deserialize<T>(json.ToJsonString()) : null;

    public void Dispose()
    {
        bookmarks.Dispose();
        server.Dispose();
    }

    /// <summary>Ends open watches and held requests once stopping is signalled, so the loop can finish.</summary>
    private void ReleaseWaiters()
    {
        Store.CloseWatches();
        lock (holds)
        {
            holds.ForEach(h => h.Dispose());
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            string body;
            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
            {
                body = await reader.ReadToEndAsync(server.Stopping);
            }

            var request = new RecordedRequest(context.Request.HttpMethod, context.Request.Url!.PathAndQuery, context.Request.ContentType, body);
            lock (requests)
            {
                requests.Add(request);
            }

            RequestHold[] waits;
            lock (holds)
            {
                waits = [.. holds.Where(h => h.Matches(request))];
            }

            foreach (var hold in waits)
            {
                await hold.WaitAsync(server.Stopping);
            }

            if (TakeFault(request) is { } code)
            {
                await WriteAsync(context, ApiResult.Failure(code, Reason(code), $"injected fault: {(int)code}"));
                return;
            }

            if (request.Method == "GET" && request.Path.TrimEnd('/') == "/version")
            {
                await WriteAsync(context, ApiResult.Ok(new JsonObject { ["major"] = "1", ["minor"] = "33+", ["gitVersion"] = "v1.33.0-eks-fake" }));
                return;
            }

            var route = FakeRoute.Parse(request.Path);
            if (route is null)
            {
                await WriteAsync(context, ApiResult.Failure(HttpStatusCode.NotFound, "NotFound", $"the server could not find the requested resource ({request.Path})"));
                return;
            }

            if (request.IsWatch)
            {
                await StreamAsync(context, route);
                return;
            }

            await WriteAsync(context, Answer(request, route, body));
        }
        catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException or IOException)
        {
            // the test is over, or the client went away
        }
        finally
        {
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

    private ApiResult Answer(RecordedRequest request, FakeRoute route, string body)
    {
        var (resource, ns, name, sub) = (route.Resource, route.Namespace, route.Name, route.Subresource);
        JsonObject Body() => JsonNode.Parse(body) as JsonObject ?? throw new JsonException("the body is not a JSON object");
        try
        {
            return (request.Method, name, sub) switch
            {
                ("GET", null, null) => Store.List(resource, ns),
                ("POST", null, null) => Store.Create(resource, ns, Body()),
                ("GET", not null, null or "status") => Store.Get(resource, ns, name),
                ("PUT", not null, null or "status") => Store.Update(resource, ns, name, Body(), status: sub == "status"),
                ("PATCH", not null, null or "status") => IsMergePatch(request.ContentType)
                    ? Store.Patch(resource, ns, name, Body(), status: sub == "status")
                    : ApiResult.Failure(HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType", $"the body of the request was in an unknown format: {request.ContentType}"),
                ("DELETE", not null, null) => Store.Delete(resource, ns, name),
                ("POST", not null, "eviction") when resource == FakeResource.Pods && ns is not null => Store.Evict(ns, name),
                ("POST", not null, "binding") when resource == FakeResource.Pods && ns is not null => Store.Bind(ns, name, Body()),
                _ => ApiResult.Failure(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", $"{request.Method} is not supported on {request.Path}"),
            };
        }
        catch (JsonException e)
        {
            return ApiResult.Failure(HttpStatusCode.BadRequest, "BadRequest", e.Message);
        }
    }

    private static bool IsMergePatch(string? contentType) =>
        contentType is not null
        && (contentType.StartsWith("application/merge-patch+json", StringComparison.Ordinal)
            || contentType.StartsWith("application/strategic-merge-patch+json", StringComparison.Ordinal));

    private async Task StreamAsync(HttpListenerContext context, FakeRoute route)
    {
        var query = context.Request.QueryString;
        var watch = Store.Watch(route.Resource, route.Namespace, query["resourceVersion"], query["allowWatchBookmarks"] == "true");
        try
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            context.Response.SendChunked = true;
            await foreach (var line in watch.ReadAllAsync(server.Stopping))
            {
                var bytes = Encoding.UTF8.GetBytes(line + "\n");
                await context.Response.OutputStream.WriteAsync(bytes, server.Stopping);
                await context.Response.OutputStream.FlushAsync(server.Stopping);
            }
        }
        finally
        {
            Store.Unwatch(watch);
        }
    }

    private HttpStatusCode? TakeFault(RecordedRequest request)
    {
        lock (faults)
        {
            var index = faults.FindIndex(f => f.Remaining > 0 && f.Matches(request));
            if (index < 0)
            {
                return null;
            }

            var fault = faults[index];
            faults[index] = fault with { Remaining = fault.Remaining - 1 };
            return fault.Code;
        }
    }

    private static string Reason(HttpStatusCode code) => code switch
    {
        HttpStatusCode.Conflict => "Conflict",
        HttpStatusCode.NotFound => "NotFound",
        HttpStatusCode.TooManyRequests => "TooManyRequests",
        HttpStatusCode.Gone => "Expired",
        _ => "InternalError",
    };

    private static async Task WriteAsync(HttpListenerContext context, ApiResult result)
    {
        var bytes = Encoding.UTF8.GetBytes(result.Body.ToJsonString());
        context.Response.StatusCode = (int)result.Code;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
    }
}
