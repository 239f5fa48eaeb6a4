namespace Platform.Infra.Blueprint.Kubernetes;

/// <summary>The label of the managed system node group, which the autoscaler and the operators select.</summary>
public static class SystemNodes
{
    /// <summary>Label key on every node of the system managed node group.</summary>
    public const string LabelKey = "gpu-platform/node-group";

    /// <summary>Its value.</summary>
    public const string LabelValue = "system";

    /// <summary>The node selector for pods that must run on the system group.</summary>
    public static IReadOnlyDictionary<string, string> Selector { get; } = new Dictionary<string, string> { [LabelKey] = LabelValue }.AsReadOnly();
}
