using k8s;
using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Serialization;

namespace Platform.Autoscaler.Controllers;

/// <summary>
/// Judges NodePools and EC2NodeClasses from the cluster as `validate` judges them from files. The API server's schema
/// lets through what Karpenter's webhook-free rules and our range checks refuse (a 99999999999h consolidateAfter, a
/// negative limit); such an object is skipped, not allowed to fail every pass. Verdicts are kept per uid and
/// resourceVersion, so an unchanged object is checked once.
/// </summary>
public sealed class ObjectChecks
{
    private readonly ManifestReader reader = new();
    private readonly Lock gate = new();
    private Dictionary<string, (string Version, string? Problem)> verdicts = new(StringComparer.Ordinal);
    private Dictionary<string, (string Version, string? Problem)> seen = new(StringComparer.Ordinal);

    /// <summary>Why the pool cannot be used, or null.</summary>
    public string? Problem(NodePool pool) => Judge(NodePool.GroupVersion, NodePool.KindName, pool, pool.Metadata);

    /// <summary>Why the class cannot be used, or null.</summary>
    public string? Problem(EC2NodeClass nodeClass) => Judge(EC2NodeClass.GroupVersion, EC2NodeClass.KindName, nodeClass, nodeClass.Metadata);

    /// <summary>Forgets verdicts of objects not judged since the last call (deleted ones); called once per view.</summary>
    public void Sweep()
    {
        lock (gate)
        {
            verdicts = seen;
            seen = new(StringComparer.Ordinal);
        }
    }

    private string? Judge(string apiVersion, string kind, object value, V1ObjectMeta metadata)
    {
        var key = $"{kind}/{metadata.Uid ?? metadata.Name}";
        var version = metadata.ResourceVersion ?? KubernetesJson.Serialize(value);
        lock (gate)
        {
            if (verdicts.TryGetValue(key, out var known) && known.Version == version)
            {
                seen[key] = known;
                return known.Problem;
            }
        }

        string? problem;
        try
        {
            var errors = reader.Check(apiVersion, kind, value);
            problem = errors.Count == 0 ? null : string.Join("; ", errors.Select(e => e.ToString()));
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or System.Text.Json.JsonException)
        {
            // A value the client's own serializer cannot write back (a quantity beyond decimal's range).
            problem = $"cannot be read: {e.Message}";
        }

        lock (gate)
        {
            seen[key] = (version, problem);
            verdicts[key] = (version, problem);
        }

        return problem;
    }
}
