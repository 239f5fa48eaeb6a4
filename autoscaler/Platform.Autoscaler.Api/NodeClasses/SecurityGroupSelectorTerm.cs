using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Platform.Autoscaler.Api;

/// <summary>Selects security groups by tags, id or name.</summary>
public sealed record SecurityGroupSelectorTerm
{
    /// <summary>Tags the group must carry; * matches any value.</summary>
    [MaxLength(20)]
    [CelRule("self.all(k, k != '' && self[k] != '')", "empty tag keys or values aren't supported")]
    [Description("Tags is a map of key/value tags used to select security groups. Specifying '*' for a value selects all values for a given tag key.")]
    public IDictionary<string, string>? Tags { get; init; }

    /// <summary>The security group id.</summary>
    [RegularExpression("sg-[0-9a-z]+")]
    [Description("ID is the security group id in EC2")]
    public string? Id { get; init; }

    /// <summary>The security group name.</summary>
    [Description("Name is the security group name in EC2. This value is the name field, which is different from the name tag.")]
    public string? Name { get; init; }
}
