using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Platform.Autoscaler.Tests.Kubernetes;

/// <summary>One open watch: the lines still to stream to its client, in the order the store wrote them.</summary>
internal sealed class FakeWatch(FakeResource resource, string? ns, bool bookmarks)
{
    private readonly Channel<string> lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public FakeResource Resource => resource;

    public bool Bookmarks => bookmarks;

    public bool Matches(FakeResource other, string objectNamespace) => other == resource && (ns is null || ns == objectNamespace);

    public void Send(string type, JsonObject item) =>
        lines.Writer.TryWrite(new JsonObject { ["type"] = type, ["object"] = item.DeepClone() }.ToJsonString());

    public void Close() => lines.Writer.TryComplete();

    public IAsyncEnumerable<string> ReadAllAsync(CancellationToken cancellationToken) => lines.Reader.ReadAllAsync(cancellationToken);
}
