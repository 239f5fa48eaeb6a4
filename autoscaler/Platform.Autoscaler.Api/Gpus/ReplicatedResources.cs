using System.Collections.Immutable;

namespace Platform.Autoscaler.Api.Gpus;

/// <summary>
/// The device plugin's <c>sharing.timeSlicing</c> (or <c>sharing.mps</c>): which resources are shared and how.
/// </summary>
/// <param name="RenameByDefault">Shared resources are advertised as <c>&lt;name&gt;.shared</c> (nvidia.com/gpu.shared),
/// so pods that ask for a whole GPU never get a slice.</param>
/// <param name="FailRequestsGreaterThanOne">The plugin refuses a pod that asks for more than one replica.</param>
/// <param name="Resources">The shared resources.</param>
public sealed record ReplicatedResources(bool RenameByDefault, bool FailRequestsGreaterThanOne, ImmutableArray<ReplicatedResource> Resources)
{
    /// <summary>The suffix of renamed shared resources (k8s-device-plugin's DefaultSharedResourceNameSuffix).</summary>
    public const string SharedSuffix = ".shared";

    /// <summary>The name a shared resource is advertised under.</summary>
    public string AdvertisedName(string resource) => RenameByDefault ? resource + SharedSuffix : resource;

    /// <summary>Value equality over the resources.</summary>
    public bool Equals(ReplicatedResources? other) =>
        other is not null && RenameByDefault == other.RenameByDefault && FailRequestsGreaterThanOne == other.FailRequestsGreaterThanOne
        && Resources.AsSpan().SequenceEqual(other.Resources.AsSpan());

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(RenameByDefault, FailRequestsGreaterThanOne, Resources.Length);
}
