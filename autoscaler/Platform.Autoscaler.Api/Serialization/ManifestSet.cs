using Platform.Autoscaler.Api.Validation;

namespace Platform.Autoscaler.Api.Serialization;

/// <summary>What a set of manifest files held: valid Karpenter objects, documents of other kinds, and every error.</summary>
public sealed record ManifestSet(
    IReadOnlyList<ManifestObject> Objects,
    IReadOnlyList<ManifestDocument> Skipped,
    IReadOnlyList<ManifestError> Errors)
{
    /// <summary>An empty set.</summary>
    public static ManifestSet Empty { get; } = new([], [], []);

    /// <summary>The valid NodePools.</summary>
    public IEnumerable<NodePool> NodePools => Objects.Select(o => o.Value).OfType<NodePool>();

    /// <summary>The valid EC2NodeClasses.</summary>
    public IEnumerable<EC2NodeClass> NodeClasses => Objects.Select(o => o.Value).OfType<EC2NodeClass>();

    /// <summary>The valid NodeClaims.</summary>
    public IEnumerable<NodeClaim> NodeClaims => Objects.Select(o => o.Value).OfType<NodeClaim>();

    /// <summary>Both sets together, in order.</summary>
    public ManifestSet Concat(ManifestSet other) => Combine([this, other]);

    /// <summary>All sets together, in order, copied once.</summary>
    public static ManifestSet Combine(IReadOnlyCollection<ManifestSet> sets) =>
        new([.. sets.SelectMany(s => s.Objects)], [.. sets.SelectMany(s => s.Skipped)], [.. sets.SelectMany(s => s.Errors)]);

    /// <summary>Whether the files held no document at all.</summary>
    public bool IsEmpty => Objects.Count == 0 && Skipped.Count == 0 && Errors.Count == 0;
}
