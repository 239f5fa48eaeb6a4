using Platform.Autoscaler.Api.Validation;

namespace Platform.Autoscaler.Api.Serialization;

/// <summary>Collects a file's objects, skipped documents and errors in lists, so reading stays linear.</summary>
internal sealed class ManifestSetBuilder
{
    public List<ManifestObject> Objects { get; } = [];

    public List<ManifestDocument> Skipped { get; } = [];

    public List<ManifestError> Errors { get; } = [];

    public ManifestSet Build() => new(Objects, Skipped, Errors);
}
