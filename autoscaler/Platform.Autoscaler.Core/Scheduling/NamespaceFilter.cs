using Platform.Autoscaler.Core.Model;

namespace Platform.Autoscaler.Core.Scheduling;

/// <summary>
/// The namespaces a topology group counts pods in: the ones named, and those whose labels the selector matches (an
/// empty selector matches every namespace, as Kubernetes reads a pod affinity term's namespaceSelector).
/// </summary>
internal sealed class NamespaceFilter(IReadOnlySet<string> names, LabelSelector? selector, Func<string, IReadOnlyDictionary<string, string>> labelsOf)
{
    private readonly Dictionary<string, bool> selected = new(StringComparer.Ordinal);

    public bool Contains(string ns)
    {
        if (names.Contains(ns))
        {
            return true;
        }

        if (selector is null)
        {
            return false;
        }

        if (!selected.TryGetValue(ns, out var matches))
        {
            matches = selector.Matches(labelsOf(ns));
            selected[ns] = matches;
        }

        return matches;
    }
}
