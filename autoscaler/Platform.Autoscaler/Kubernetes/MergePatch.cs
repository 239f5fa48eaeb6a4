using System.Text.Json.Nodes;

namespace Platform.Autoscaler.Kubernetes;

/// <summary>
/// JSON merge patches (RFC 7386) computed as the difference of two documents: applying the result to
/// <c>from</c> gives <c>to</c>. Null members, empty objects and empty arrays count as absent on both sides, the way
/// Kubernetes' omitempty fields read, so a patch to the current value comes out empty.
/// </summary>
internal static class MergePatch
{
    /// <summary>The patch that turns <paramref name="from"/> into <paramref name="to"/>; empty when they are alike.</summary>
    public static JsonObject Diff(JsonObject? from, JsonObject? to)
    {
        var before = Prune(from) as JsonObject ?? [];
        var after = Prune(to) as JsonObject ?? [];
        return DiffObjects(before, after);
    }

    /// <summary>A copy without null members, empty objects or empty arrays (inside objects); null when nothing is left.</summary>
    public static JsonNode? Prune(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                var kept = new JsonObject();
                foreach (var (key, value) in o)
                {
                    if (Prune(value) is { } pruned)
                    {
                        kept[key] = pruned;
                    }
                }

                return kept.Count == 0 ? null : kept;
            case JsonArray a:
                return a.Count == 0 ? null : new JsonArray([.. a.Select(item => item?.DeepClone())]);
            default:
                return node?.DeepClone();
        }
    }

    private static JsonObject DiffObjects(JsonObject from, JsonObject to)
    {
        var patch = new JsonObject();
        foreach (var (key, after) in to)
        {
            var before = from[key];
            if (JsonNode.DeepEquals(before, after))
            {
                continue;
            }

            if (before is JsonObject b && after is JsonObject a)
            {
                patch[key] = DiffObjects(b, a);
            }
            else
            {
                patch[key] = after?.DeepClone();
            }
        }

        foreach (var (key, _) in from)
        {
            if (!to.ContainsKey(key))
            {
                patch[key] = null;
            }
        }

        return patch;
    }
}
