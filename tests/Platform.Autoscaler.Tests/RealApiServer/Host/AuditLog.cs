using System.Text.Json;

namespace Platform.Autoscaler.Tests.RealApiServer.Host;

/// <summary>One request as the API server's audit log (level Metadata) records it.</summary>
internal sealed record AuditEntry(string User, string Verb, string Group, string Resource, string? Subresource, string? Namespace, string? Name, string Uri, int? Code)
{
    /// <summary>The request as RBAC reads it: verb, group/resource[/subresource], and the status.</summary>
    public override string ToString() =>
        $"{Verb} {(Group.Length == 0 ? "" : Group + "/")}{(Resource.Length == 0 ? Uri : Resource)}{(Subresource is null ? "" : "/" + Subresource)}"
        + $"{(Name is null ? "" : " " + (Namespace is null ? "" : Namespace + "/") + Name)} -> {Code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}";
}

/// <summary>Reads the audit log the control plane writes (one JSON event per line).</summary>
internal static class AuditLog
{
    /// <summary>
    /// The requests of <paramref name="user"/>, in order, each in its last stage so far: ResponseComplete, or
    /// ResponseStarted for a watch still open.
    /// </summary>
    public static IReadOnlyList<AuditEntry> Read(string path, string user)
    {
        var entries = new List<AuditEntry>();
        var byId = new Dictionary<string, int>(StringComparer.Ordinal);
        // The API server keeps writing: read what is there without locking it out.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.GetProperty("user").GetProperty("username").GetString() != user)
            {
                continue;
            }

            string? Text(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? value.GetString() : null;
            var target = root.TryGetProperty("objectRef", out var objectRef) ? objectRef : default;
            int? code = root.TryGetProperty("responseStatus", out var status) && status.TryGetProperty("code", out var c) ? c.GetInt32() : null;
            var entry = new AuditEntry(
                user, Text(root, "verb") ?? "",
                target.ValueKind == JsonValueKind.Object ? Text(target, "apiGroup") ?? "" : "",
                target.ValueKind == JsonValueKind.Object ? Text(target, "resource") ?? "" : "",
                target.ValueKind == JsonValueKind.Object ? Text(target, "subresource") : null,
                target.ValueKind == JsonValueKind.Object ? Text(target, "namespace") : null,
                target.ValueKind == JsonValueKind.Object ? Text(target, "name") : null,
                Text(root, "requestURI") ?? "", code);
            var id = Text(root, "auditID") ?? Guid.NewGuid().ToString();
            if (byId.TryGetValue(id, out var earlier))
            {
                entries[earlier] = entry;
            }
            else
            {
                byId[id] = entries.Count;
                entries.Add(entry);
            }
        }

        return entries;
    }
}
