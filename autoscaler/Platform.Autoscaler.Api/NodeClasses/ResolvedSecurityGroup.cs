using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Platform.Autoscaler.Api;

/// <summary>A security group an EC2NodeClass's selectors matched.</summary>
public sealed record ResolvedSecurityGroup
{
    /// <summary>The group id.</summary>
    [Required]
    [Description("ID of the security group")]
    public string? Id { get; init; }

    /// <summary>The group name.</summary>
    [Description("Name of the security group")]
    public string? Name { get; init; }
}
