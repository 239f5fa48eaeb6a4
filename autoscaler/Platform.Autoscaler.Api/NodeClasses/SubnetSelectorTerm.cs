using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Platform.Autoscaler.Api;

/// <summary>Selects subnets by tags or by id.</summary>
public sealed record SubnetSelectorTerm
{
    /// <summary>Tags the subnet must carry; * matches any value.</summary>
    [MaxLength(20)]
    [CelRule("self.all(k, k != '' && self[k] != '')", "empty tag keys or values aren't supported")]
    [Description("Tags is a map of key/value tags used to select subnets. Specifying '*' for a value selects all values for a given tag key.")]
    public IDictionary<string, string>? Tags { get; init; }

    /// <summary>The subnet id.</summary>
    [RegularExpression("subnet-[0-9a-z]+")]
    [Description("ID is the subnet id in EC2")]
    public string? Id { get; init; }
}
