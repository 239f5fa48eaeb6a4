using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Platform.Autoscaler.Api;

/// <summary>Selects AMIs by alias, id, name (with owner), SSM parameter or tags.</summary>
public sealed record AmiSelectorTerm
{
    /// <summary>family@version, e.g. al2023@latest or al2023@v20240807; picks the EKS-optimized AMI (GPU and Neuron variants by instance type).</summary>
    [MaxLength(30), RegularExpression(@"^[a-zA-Z0-9]+@.+$")]
    [CelRules(typeof(NodeClassCelRules), nameof(NodeClassCelRules.Alias))]
    [Description("Alias specifies which EKS optimized AMI to select. Each alias consists of a family and an AMI version, specified as \"family@version\".")]
    public string? Alias { get; init; }

    /// <summary>Tags the AMI must carry; * matches any value.</summary>
    [MaxLength(20)]
    [CelRule("self.all(k, k != '' && self[k] != '')", "empty tag keys or values aren't supported")]
    [Description("Tags is a map of key/value tags used to select amis. Specifying '*' for a value selects all values for a given tag key.")]
    public IDictionary<string, string>? Tags { get; init; }

    /// <summary>The AMI id.</summary>
    [RegularExpression("ami-[0-9a-z]+")]
    [Description("ID is the ami id in EC2")]
    public string? Id { get; init; }

    /// <summary>The AMI name; may contain wildcards.</summary>
    [Description("Name is the ami name in EC2. This value is the name field, which is different from the name tag.")]
    public string? Name { get; init; }

    /// <summary>The AMI owner: an account id, self or amazon.</summary>
    [Description("Owner is the owner for the ami. You can specify a combination of AWS account IDs, \"self\", \"amazon\", and \"aws-marketplace\"")]
    public string? Owner { get; init; }

    /// <summary>An SSM parameter whose value is the AMI id.</summary>
    [Description("SSMParameter is the name (or ARN) of the SSM parameter containing the Image ID.")]
    public string? SsmParameter { get; init; }
}
