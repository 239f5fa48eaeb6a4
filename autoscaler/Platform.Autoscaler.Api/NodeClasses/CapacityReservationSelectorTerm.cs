using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Platform.Autoscaler.Api;

/// <summary>
/// Karpenter's capacity reservation selector term (by id, or by tags, owner and match criteria). It is in the schema
/// so the API server reads it as Karpenter does and refuses it with a reason instead of pruning it as unknown.
/// </summary>
public sealed record CapacityReservationSelectorTerm
{
    /// <summary>Tags the reservation must carry.</summary>
    [MaxLength(20)]
    [CelRule("self.all(k, k != '' && self[k] != '')", "empty tag keys or values aren't supported")]
    [Description("Tags is a map of key/value tags used to select capacity reservations. Specifying '*' for a value selects all values for a given tag key.")]
    public IDictionary<string, string>? Tags { get; init; }

    /// <summary>The reservation id.</summary>
    [RegularExpression("^cr-[0-9a-z]+$")]
    [Description("ID is the capacity reservation id in EC2")]
    public string? Id { get; init; }

    /// <summary>The account that owns the reservation.</summary>
    [RegularExpression("^[0-9]{12}$")]
    [Description("Owner is the owner id for the ami.")]
    public string? OwnerID { get; init; }

    /// <summary>open or targeted.</summary>
    [AllowedValues("open", "targeted")]
    [Description("InstanceMatchCriteria specifies how instances are matched to capacity reservations.")]
    public string? InstanceMatchCriteria { get; init; }
}
