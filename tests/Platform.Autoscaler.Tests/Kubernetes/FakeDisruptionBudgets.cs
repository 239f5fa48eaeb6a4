using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Autoscaler.Tests.Kubernetes;

/// <summary>The fake API server's reading of a PodDisruptionBudget: which pods it selects and whether one more may go.</summary>
internal static class FakeDisruptionBudgets
{
    /// <summary>policy/v1: an empty selector selects every pod of the namespace, a missing one none.</summary>
    public static bool Selects(JsonObject budget, JsonObject pod)
    {
        if (budget["spec"]?["selector"] is not JsonObject selector)
        {
            return false;
        }

        var labels = pod["metadata"]?["labels"] as JsonObject;
        string? Label(string key) => (string?)labels?[key];
        var matchLabels = (selector["matchLabels"] as JsonObject ?? []).All(l => Label(l.Key) == (string?)l.Value);
        var matchExpressions = (selector["matchExpressions"] as JsonArray ?? []).All(e =>
        {
            var key = (string)e!["key"]!;
            var values = (e["values"] as JsonArray ?? []).Select(v => (string?)v).ToHashSet();
            return (string?)e["operator"] switch
            {
                "In" => Label(key) is { } v && values.Contains(v),
                "NotIn" => Label(key) is not { } v || !values.Contains(v),
                "Exists" => Label(key) is not null,
                "DoesNotExist" => Label(key) is null,
                _ => false,
            };
        });
        return matchLabels && matchExpressions;
    }

    /// <summary>
    /// status.disruptionsAllowed decides when set. Otherwise the pods the budget selects that are bound and not
    /// being deleted count as healthy, and one may go if minAvailable (or all selected less maxUnavailable) are
    /// still healthy without it.
    /// </summary>
    public static bool Allows(JsonObject budget, IReadOnlyList<JsonObject> selected, out string why)
    {
        var name = (string?)budget["metadata"]?["name"];
        if (budget["status"]?["disruptionsAllowed"] is JsonValue allowed)
        {
            why = $"The disruption budget {name} allows {allowed} disruptions";
            return allowed.GetValue<int>() > 0;
        }

        var expected = selected.Count(p => p["metadata"]?["deletionTimestamp"] is null);
        var healthy = selected.Count(p => p["metadata"]?["deletionTimestamp"] is null && (string?)p["spec"]?["nodeName"] is { Length: > 0 });
        int needed;
        if (budget["spec"]?["minAvailable"] is { } minAvailable)
        {
            needed = Scaled(minAvailable, expected);
        }
        else if (budget["spec"]?["maxUnavailable"] is { } maxUnavailable)
        {
            needed = expected - Scaled(maxUnavailable, expected);
        }
        else
        {
            needed = 0;
        }

        why = $"The disruption budget {name} needs {needed} healthy pods and has {healthy} currently";
        return healthy - 1 >= needed;
    }

    // An int, or a percentage of the selected pods rounded up, as the disruption controller scales it.
    private static int Scaled(JsonNode value, int total) =>
        value.GetValueKind() == JsonValueKind.String && ((string)value!).EndsWith('%')
            ? (int)Math.Ceiling(int.Parse(((string)value!).TrimEnd('%'), CultureInfo.InvariantCulture) * total / 100.0)
            : value.GetValue<int>();
}
