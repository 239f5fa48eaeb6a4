using System.Globalization;
using System.Text.Json;

namespace Platform.Autoscaler.Aws.Interruption;

/// <summary>
/// Reads an EventBridge event from a queue message body. Anything else (malformed JSON, another source, an
/// unknown detail type, no instance) is an error string, never an exception: the consumer counts, logs and deletes
/// such messages and carries on.
/// </summary>
public static class InterruptionParser
{
    /// <summary>The message, or the reason it is not one.</summary>
    public static (InterruptionMessage? Message, string? Error) Parse(string body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            return (null, $"not JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, "not an EventBridge event (not a JSON object)");
            }

            var source = Text(root, "source");
            var detailType = Text(root, "detail-type");
            var time = DateTimeOffset.TryParse(Text(root, "time"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : DateTimeOffset.MinValue;
            if (!root.TryGetProperty("detail", out var detail) || detail.ValueKind != JsonValueKind.Object)
            {
                return (null, $"event from {source ?? "an unknown source"} has no detail");
            }

            (InterruptionKind Kind, IReadOnlyList<string> Instances, string? State)? read = (source, detailType) switch
            {
                ("aws.ec2", "EC2 Spot Instance Interruption Warning") => (InterruptionKind.SpotInterruption, One(detail), null),
                ("aws.ec2", "EC2 Instance Rebalance Recommendation") => (InterruptionKind.RebalanceRecommendation, One(detail), null),
                ("aws.ec2", "EC2 Instance State-change Notification") => (InterruptionKind.StateChange, One(detail), Text(detail, "state")),
                ("aws.health", "AWS Health Event") when Text(detail, "service") == "EC2" && Text(detail, "eventTypeCategory") == "scheduledChange"
                    => (InterruptionKind.ScheduledChange, Entities(detail), null),
                _ => null,
            };
            if (read is not { } found)
            {
                return (null, $"unsupported event: source {source ?? "none"}, detail-type {detailType ?? "none"}");
            }

            return found.Instances.Count == 0
                ? (null, $"{detailType} names no instance")
                : (new InterruptionMessage(found.Kind, found.Instances, time, found.State), null);
        }
    }
    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IReadOnlyList<string> One(JsonElement detail) => Text(detail, "instance-id") is { Length: > 0 } id ? [id] : [];

    private static IReadOnlyList<string> Entities(JsonElement detail) =>
        detail.TryGetProperty("affectedEntities", out var entities) && entities.ValueKind == JsonValueKind.Array
            ? [.. entities.EnumerateArray().Select(e => Text(e, "entityValue")).Where(v => v is { Length: > 0 } && v.StartsWith("i-", StringComparison.Ordinal)).Select(v => v!)]
            : [];
}
