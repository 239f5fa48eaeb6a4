using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Platform.Autoscaler.Api;

/// <summary>Instance metadata service settings.</summary>
public sealed record MetadataOptions
{
    /// <summary>enabled or disabled.</summary>
    [AllowedValues("enabled", "disabled"), DefaultValue("enabled")]
    [Description("HTTPEndpoint enables or disables the HTTP metadata endpoint on provisioned nodes.")]
    public string? HttpEndpoint { get; init; }

    /// <summary>enabled or disabled.</summary>
    [AllowedValues("enabled", "disabled"), DefaultValue("disabled")]
    [Description("HTTPProtocolIPv6 enables or disables the IPv6 endpoint for the instance metadata service on provisioned nodes.")]
    public string? HttpProtocolIPv6 { get; init; }

    /// <summary>Hop limit for PUT responses; 1 keeps pods off node credentials.</summary>
    [Range(1, 64), DefaultValue(1)]
    [Description("HTTPPutResponseHopLimit is the desired HTTP PUT response hop limit for instance metadata requests.")]
    public long? HttpPutResponseHopLimit { get; init; }

    /// <summary>required (IMDSv2) or optional.</summary>
    [AllowedValues("required", "optional"), DefaultValue("required")]
    [Description("HTTPTokens determines the state of token usage for instance metadata requests.")]
    public string? HttpTokens { get; init; }
}
