using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Platform.Autoscaler.Api;

/// <summary>A subnet an EC2NodeClass's selectors matched.</summary>
public sealed record ResolvedSubnet
{
    /// <summary>The subnet id.</summary>
    [Required]
    [Description("ID of the subnet")]
    public string? Id { get; init; }

    /// <summary>The zone name.</summary>
    [Required]
    [Description("The associated availability zone")]
    public string? Zone { get; init; }

    /// <summary>The zone id.</summary>
    [Description("The associated availability zone ID")]
    public string? ZoneID { get; init; }
}
