using System.Text.Json;
using System.Text.RegularExpressions;
using Platform.Autoscaler.Aws.Tests.TestKit;

namespace Platform.Autoscaler.Aws.Tests.IamContract;

/// <summary>
/// One API call as it went over the wire: the service and region from its SigV4 credential scope, the action, and its
/// parameters (the query protocol's form fields for EC2, the JSON body for SSM and SQS).
/// </summary>
public sealed partial record AwsCall(string Service, string Action, string Region, IReadOnlyDictionary<string, string> Query, string Json)
{
    /// <summary>"ec2:CreateFleet".</summary>
    public string IamAction => $"{Service}:{Action}";

    /// <summary>Reads a proxied request.</summary>
    public static AwsCall Parse(ProxiedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var scope = CredentialScope().Match(request.Authorization);
        if (!scope.Success)
        {
            throw new FormatException($"request {request.Action} is not SigV4-signed: \"{request.Authorization}\"");
        }

        var service = scope.Groups["service"].Value;
        var region = scope.Groups["region"].Value;
        var isJson = request.Body.TrimStart().StartsWith('{');
        var query = isJson
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : request.Body.Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2))
                .ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : "", StringComparer.Ordinal);
        // JSON protocol names the action in X-Amz-Target ("AmazonSSM.GetParameter"); the query protocol in Action.
        var action = isJson ? request.Action[(request.Action.LastIndexOf('.') + 1)..] : query.GetValueOrDefault("Action", request.Action);
        return new AwsCall(service, action, region, query, isJson ? request.Body : "{}");
    }

    /// <summary>A parameter: a query field (dotted path for nested ones) or a top-level string of the JSON body; null when absent.</summary>
    public string? Param(string name) => Query.TryGetValue(name, out var value) ? value : JsonString(name);

    /// <summary>The strings of a top-level array of the JSON body (empty when absent).</summary>
    public IReadOnlyList<string> JsonStrings(string name)
    {
        using var document = JsonDocument.Parse(Json);
        return document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Select(v => v.GetString()).OfType<string>()]
            : [];
    }

    /// <summary>A top-level string of the JSON body, or null.</summary>
    public string? JsonString(string name)
    {
        using var document = JsonDocument.Parse(Json);
        return document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    /// <summary>
    /// The numbered members of a query list, in order: for "TagSpecification", the fields of TagSpecification.1.*,
    /// TagSpecification.2.* ... each with the prefix removed.
    /// </summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Members(string prefix) => Members(Query, prefix);

    /// <summary>The numbered members of a list inside <paramref name="fields"/>.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Members(IReadOnlyDictionary<string, string> fields, string prefix)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var groups = new SortedDictionary<int, Dictionary<string, string>>();
        foreach (var (key, value) in fields)
        {
            if (!key.StartsWith(prefix + ".", StringComparison.Ordinal))
            {
                continue;
            }

            var rest = key[(prefix.Length + 1)..];
            var dot = rest.IndexOf('.', StringComparison.Ordinal);
            if (!int.TryParse(dot < 0 ? rest : rest[..dot], out var index))
            {
                continue;
            }

            if (!groups.TryGetValue(index, out var group))
            {
                group = new Dictionary<string, string>(StringComparer.Ordinal);
                groups[index] = group;
            }

            group[dot < 0 ? "" : rest[(dot + 1)..]] = value;
        }

        return [.. groups.Values];
    }

    /// <summary>The values of a numbered scalar list (InstanceId.1, InstanceId.2 ...).</summary>
    public IReadOnlyList<string> Values(string prefix) => [.. Members(prefix).Select(m => m.GetValueOrDefault("", ""))];

    [GeneratedRegex(@"Credential=[^/]+/\d{8}/(?<region>[^/]+)/(?<service>[^/]+)/aws4_request")]
    private static partial Regex CredentialScope();
}
