using System.Collections.Frozen;

namespace Platform.Autoscaler.Api.Validation;

/// <summary>Messages for unknown fields: names what v1beta1 fields became in v1, else suggests the nearest known field.</summary>
internal static class UnknownField
{
    private static readonly FrozenDictionary<string, string> Moved = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["spec.template.spec.kubelet"] = "kubelet moved from the NodePool to EC2NodeClass spec.kubelet in karpenter.sh/v1",
        ["spec.disruption.expireAfter"] = "expireAfter moved to spec.template.spec.expireAfter in karpenter.sh/v1",
        ["spec.template.spec.resources"] = "NodePool templates have no resources in karpenter.sh/v1",
        ["spec.amiSelector"] = "amiSelector became amiSelectorTerms (a list of terms) in karpenter.k8s.aws/v1",
        ["spec.subnetSelector"] = "subnetSelector became subnetSelectorTerms (a list of terms) in karpenter.k8s.aws/v1",
        ["spec.securityGroupSelector"] = "securityGroupSelector became securityGroupSelectorTerms (a list of terms) in karpenter.k8s.aws/v1",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static string Message(string parentPath, string field, IEnumerable<string> known)
    {
        var path = FieldPath.Child(parentPath, field);
        if (Moved.TryGetValue(path, out var moved))
        {
            return $"unknown field: {moved}";
        }

        var nearest = known
            .Select(k => (Name: k, Distance: Distance(k.ToLowerInvariant(), field.ToLowerInvariant())))
            .Where(k => k.Distance <= Math.Max(2, field.Length / 4))
            .OrderBy(k => k.Distance)
            .Select(k => k.Name)
            .FirstOrDefault();
        return nearest is null ? "unknown field" : $"unknown field; did you mean \"{nearest}\"?";
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
