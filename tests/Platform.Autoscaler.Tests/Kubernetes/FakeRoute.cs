namespace Platform.Autoscaler.Tests.Kubernetes;

/// <summary>
/// A request path read the API server's way: /api/v1 or /apis/{group}/{version}, then optionally
/// namespaces/{namespace}, then {resource}[/{name}[/{subresource}]].
/// </summary>
internal sealed record FakeRoute(FakeResource Resource, string? Namespace, string? Name, string? Subresource)
{
    public static FakeRoute? Parse(string path)
    {
        var segments = path.Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        string group, version;
        string[] rest;
        if (segments is ["api", var v, .. var r1])
        {
            (group, version, rest) = ("", v, r1);
        }
        else if (segments is ["apis", var g, var v2, .. var r2])
        {
            (group, version, rest) = (g, v2, r2);
        }
        else
        {
            return null;
        }

        string? ns = null;
        if (rest is ["namespaces", var n, _, ..])
        {
            ns = n;
            rest = rest[2..];
        }

        if (rest.Length is 0 or > 3 || FakeResource.Find(group, version, rest[0]) is not { } resource)
        {
            return null;
        }

        if (rest.Length > 1 && resource.Namespaced != (ns is not null))
        {
            return null;
        }

        return new FakeRoute(resource, ns, rest.Length > 1 ? rest[1] : null, rest.Length > 2 ? rest[2] : null);
    }
}
