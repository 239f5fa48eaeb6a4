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
    public ManifestSet Concat(ManifestSet other) =>
        new([.. Objects, .. other.Objects], [.. Skipped, .. other.Skipped], [.. Errors, .. other.Errors]);
}
