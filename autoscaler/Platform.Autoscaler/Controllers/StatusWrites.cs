using k8s;
using k8s.Models;

namespace Platform.Autoscaler.Controllers;

/// <summary>
/// What a status controller last wrote per object. The informer may not show a write by the next pass, and comparing
/// with its older copy would write again, restamp transition times and repeat events; a write counts only while the
/// object keeps the uid and generation it was made for.
/// </summary>
internal sealed class StatusWrites<TStatus>
    where TStatus : class
{
    private readonly Dictionary<string, (string? Uid, long? Generation, TStatus Status)> written = new(StringComparer.Ordinal);

    /// <summary>The status to compare with: this controller's last write for the object, else the informer's copy.</summary>
    public TStatus? Before(V1ObjectMeta metadata, TStatus? informed) =>
        written.TryGetValue(metadata.Name, out var last) && last.Uid == metadata.Uid && last.Generation == metadata.Generation
            ? last.Status
            : informed;

    /// <summary>True when <paramref name="wanted"/> is what <paramref name="before"/> already says: no write needed.</summary>
    public static bool Same(TStatus? before, TStatus wanted) =>
        before is not null && KubernetesJson.Serialize(before) == KubernetesJson.Serialize(wanted);

    /// <summary>Remembers a write of <paramref name="status"/> to the object.</summary>
    public void Wrote(V1ObjectMeta metadata, TStatus status) => written[metadata.Name] = (metadata.Uid, metadata.Generation, status);

    /// <summary>Forgets every object not named in <paramref name="live"/>.</summary>
    public void KeepOnly(IEnumerable<string> live)
    {
        foreach (var gone in written.Keys.Except(live).ToList())
        {
            written.Remove(gone);
        }
    }
}
