using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Platform.Autoscaler.Api;

/// <summary>An AMI an EC2NodeClass's selectors matched, with the node requirements it serves.</summary>
public sealed record ResolvedAmi
{
    /// <summary>The AMI id.</summary>
    [Required, RegularExpression("ami-[0-9a-z]+")]
    [Description("ID of the AMI")]
    public string? Id { get; init; }

    /// <summary>The AMI name.</summary>
    [Description("Name of the AMI")]
    public string? Name { get; init; }

    /// <summary>When the AMI was deprecated, if it was.</summary>
    [Description("Deprecation status of the AMI")]
    public bool? Deprecated { get; init; }

    /// <summary>Requirements the AMI serves: architecture, GPU or Neuron presence.</summary>
    [Required]
    [Description("Requirements of the AMI to be utilized on an instance type")]
    public IList<NodeSelectorRequirementWithMinValues>? Requirements { get; init; }
}
