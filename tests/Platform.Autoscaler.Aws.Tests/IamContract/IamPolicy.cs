using System.Text.Json;

namespace Platform.Autoscaler.Aws.Tests.IamContract;

/// <summary>An identity policy read from the JSON IAM receives: its statements, each with actions, resources and conditions.</summary>
public sealed record IamPolicy(IReadOnlyList<IamStatement> Statements)
{
    /// <summary>Reads a policy document; an element this evaluator does not implement is an error, never skipped.</summary>
    public static IamPolicy Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.GetProperty("Version").GetString() != "2012-10-17")
        {
            throw new NotSupportedException("only policy language version 2012-10-17 is evaluated");
        }

        var statements = root.GetProperty("Statement");
        IEnumerable<JsonElement> list = statements.ValueKind == JsonValueKind.Array ? statements.EnumerateArray() : [statements];
        return new IamPolicy([.. list.Select((s, i) => Statement(s, i))]);
    }

    private static IamStatement Statement(JsonElement element, int index)
    {
        var known = new HashSet<string>(StringComparer.Ordinal) { "Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition" };
        foreach (var property in element.EnumerateObject().Where(p => !known.Contains(p.Name)))
        {
            throw new NotSupportedException($"statement {index}: element {property.Name} is not evaluated here (identity policies have no Principal)");
        }

        var conditions = new List<IamCondition>();
        if (element.TryGetProperty("Condition", out var block))
        {
            foreach (var op in block.EnumerateObject())
            {
                foreach (var key in op.Value.EnumerateObject())
                {
                    conditions.Add(IamCondition.Create(op.Name, key.Name, Strings(key.Value)!));
                }
            }
        }

        return new IamStatement(
            element.TryGetProperty("Sid", out var sid) ? sid.GetString() ?? $"#{index}" : $"#{index}",
            element.GetProperty("Effect").GetString() switch
            {
                "Allow" => true,
                "Deny" => false,
                var other => throw new NotSupportedException($"statement {index}: Effect {other}"),
            },
            Strings(element, "Action"), Strings(element, "NotAction"), Strings(element, "Resource"), Strings(element, "NotResource"), conditions);
    }

    private static IReadOnlyList<string>? Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? Strings(value) : null;

    private static IReadOnlyList<string>? Strings(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => [value.GetString()!],
        JsonValueKind.Array => [.. value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText())],
        JsonValueKind.True or JsonValueKind.False => [value.GetRawText()],
        _ => throw new NotSupportedException($"a policy value of kind {value.ValueKind}"),
    };
}

/// <summary>One statement; exactly one of Action/NotAction and of Resource/NotResource is set.</summary>
public sealed record IamStatement(
    string Sid, bool Allow, IReadOnlyList<string>? Actions, IReadOnlyList<string>? NotActions,
    IReadOnlyList<string>? Resources, IReadOnlyList<string>? NotResources, IReadOnlyList<IamCondition> Conditions)
{
    /// <summary>Whether the statement names the action (Action and NotAction match case-insensitively, with * and ?).</summary>
    public bool MatchesAction(string action) =>
        Actions is not null ? Actions.Any(a => Glob.Matches(a, action, ignoreCase: true)) : NotActions!.All(a => !Glob.Matches(a, action, ignoreCase: true));

    /// <summary>Whether the statement names the resource (ARNs match case-sensitively, with * and ?).</summary>
    public bool MatchesResource(string resource) =>
        Resources is not null ? Resources.Any(r => Glob.Matches(r, resource, ignoreCase: false)) : NotResources!.All(r => !Glob.Matches(r, resource, ignoreCase: false));

    /// <summary>The conditions that do not hold for the request (all must hold for the statement to apply).</summary>
    public IReadOnlyList<IamCondition> FailingConditions(AuthorizationRequest request) => [.. Conditions.Where(c => !c.Holds(request.Context))];
}
