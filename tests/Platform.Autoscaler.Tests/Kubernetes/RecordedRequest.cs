namespace Platform.Autoscaler.Tests.Kubernetes;

/// <summary>One request as the fake API server received it.</summary>
internal sealed record RecordedRequest(string Method, string PathAndQuery, string? ContentType, string Body)
{
    public string Path => PathAndQuery.Split('?')[0];

    public string Query => PathAndQuery.Contains('?', StringComparison.Ordinal) ? PathAndQuery[(PathAndQuery.IndexOf('?', StringComparison.Ordinal) + 1)..] : "";

    public bool IsWatch => Method == "GET" && Query.Split('&').Contains("watch=true");

    public override string ToString() => $"{Method} {PathAndQuery}";
}
