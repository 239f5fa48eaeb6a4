using System.Text.Json;
using System.Text.Json.Serialization;

namespace Platform.Infra.Blueprint.Iam;

/// <summary>An IAM policy document; <see cref="ToJson"/> is what AWS receives.</summary>
public sealed record PolicyDocument(IReadOnlyList<PolicyStatement> Statement)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Always 2012-10-17, the version that supports policy variables.</summary>
    [JsonPropertyOrder(0)]
    public string Version => "2012-10-17";

    /// <summary>The statements.</summary>
    [JsonPropertyOrder(1)]
    public IReadOnlyList<PolicyStatement> Statement { get; init; } = Statement;

    /// <summary>The document as IAM JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The statement with the given id.</summary>
    public PolicyStatement this[string sid] =>
        Statement.FirstOrDefault(s => s.Sid == sid) ?? throw new KeyNotFoundException($"no statement {sid}; have {string.Join(", ", Statement.Select(s => s.Sid))}");
}
