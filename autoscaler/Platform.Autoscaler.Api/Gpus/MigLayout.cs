using System.Collections.Immutable;

namespace Platform.Autoscaler.Api.Gpus;

/// <summary>
/// A named MIG layout of mig-parted's config (one <c>mig-configs</c> entry): what the MIG manager makes of a node's
/// GPUs when the node is labelled <c>nvidia.com/mig.config=&lt;name&gt;</c>.
/// </summary>
/// <param name="Name">e.g. all-1g.10gb, all-balanced or a custom name.</param>
/// <param name="Specs">Its entries, applied in order (a GPU several match ends as the last one makes it).</param>
public sealed record MigLayout(string Name, ImmutableArray<MigDeviceSpec> Specs)
{
    /// <summary>
    /// What GPU <paramref name="index"/> of <paramref name="model"/> becomes: null when no entry matches it (the MIG
    /// manager leaves it whole), else the last matching entry, as mig-parted walks them in order.
    /// </summary>
    public MigDeviceSpec? For(GpuModel model, int index)
    {
        MigDeviceSpec? last = null;
        foreach (var spec in Specs)
        {
            if (spec.Matches(model, index))
            {
                last = spec;
            }
        }

        return last;
    }

    /// <summary>Value equality over the entries.</summary>
    public bool Equals(MigLayout? other) => other is not null && Name == other.Name && Specs.AsSpan().SequenceEqual(other.Specs.AsSpan());

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Specs.Length);
}
