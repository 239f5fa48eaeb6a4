using System.Text.Json.Serialization;

namespace Platform.Infra.Blueprint.Iam;

/// <summary>One IAM policy statement, serialized with IAM's own field names.</summary>
public sealed record PolicyStatement
{
    /// <summary>Statement id, unique in its document.</summary>
    [JsonPropertyOrder(0)]
    public required string Sid { get; init; }

    /// <summary><c>Allow</c> or <c>Deny</c>.</summary>
    [JsonPropertyOrder(1)]
    public string Effect { get; init; } = "Allow";

    /// <summary>For trust and resource policies: principal kind (<c>Service</c>, <c>AWS</c>, <c>Federated</c>) to ids.</summary>
    [JsonPropertyOrder(2)]
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Principal { get; init; }

    /// <summary>The actions.</summary>
    [JsonPropertyOrder(3)]
    public required IReadOnlyList<string> Action { get; init; }

    /// <summary>The resources; absent in trust policies.</summary>
    [JsonPropertyOrder(4)]
    public IReadOnlyList<string>? Resource { get; init; }

    /// <summary>Condition operator to condition key to values.</summary>
    [JsonPropertyOrder(5)]
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>? Condition { get; init; }
}
