using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Platform.Autoscaler.Api.Serialization;

/// <summary>
/// Resolves plain YAML scalars to JSON types with the YAML 1.1 rules kubectl applies (go-yaml), so a manifest is
/// judged as the API server would see it: <c>weight: "10"</c> is a string, <c>value: yes</c> a boolean.
/// </summary>
public static partial class ScalarResolver
{
    /// <summary>The kind a scalar resolves to.</summary>
    public static ScalarKind Resolve(YamlScalarNode node)
    {
        if (node.Style is not ScalarStyle.Plain and not ScalarStyle.Any || node.Tag == "tag:yaml.org,2002:str")
        {
            return ScalarKind.String;
        }

        var value = node.Value ?? "";
        return value switch
        {
            "" or "~" or "null" or "Null" or "NULL" => ScalarKind.Null,
            "true" or "True" or "TRUE" or "false" or "False" or "FALSE"
                or "yes" or "Yes" or "YES" or "no" or "No" or "NO"
                or "on" or "On" or "ON" or "off" or "Off" or "OFF"
                or "y" or "Y" or "n" or "N" => ScalarKind.Boolean,
            _ when IntegerPattern().IsMatch(value) => ScalarKind.Integer,
            _ when FloatPattern().IsMatch(value) => ScalarKind.Float,
            _ => ScalarKind.String,
        };
    }

    /// <summary>Describes a kind for messages: "a string", "an integer" ...</summary>
    public static string Describe(ScalarKind kind) => kind switch
    {
        ScalarKind.Null => "null",
        ScalarKind.Boolean => "a boolean",
        ScalarKind.Integer => "an integer",
        ScalarKind.Float => "a number",
        _ => "a string",
    };

    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9_]*|0[0-7_]+|0x[0-9a-fA-F_]+|0b[01_]+)$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^([-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex FloatPattern();
}
