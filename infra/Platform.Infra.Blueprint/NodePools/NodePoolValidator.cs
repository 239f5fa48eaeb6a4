using Platform.Infra.Blueprint.Rendering;
using k8s;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Gpus;
using Platform.Autoscaler.Api.Serialization;

namespace Platform.Infra.Blueprint.NodePools;

/// <summary>
/// Runs the autoscaler's validator on a NodePool set exactly as the autoscaler will read it back: each object is
/// serialized to YAML and read with <see cref="ManifestReader"/>, so both the schema and the rules apply.
/// </summary>
public static class NodePoolValidator
{
    /// <summary>Every error in the set; empty when the autoscaler will accept it.</summary>
    public static IReadOnlyList<string> Validate(string environment, NodePoolSet set)
    {
        var file = $"nodepools/{environment}.yaml";
        var yaml = Render(set);
        var read = new ManifestReader().Read(file, yaml);
        var errors = read.Errors.Select(e => e.ToString()).ToList();

        var classes = set.NodeClasses.Select(c => c.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var pool in set.NodePools)
        {
            var reference = pool.Spec?.Template?.Spec?.NodeClassRef;
            if (reference is { Kind: EC2NodeClass.KindName, Name: { } name } && !classes.Contains(name))
            {
                errors.Add($"{file}: NodePool/{pool.Metadata.Name}: spec.template.spec.nodeClassRef.name: EC2NodeClass {name} is not in this environment (have {string.Join(", ", classes)})");
            }
        }

        if (set.GpuSharing is { } sharing)
        {
            // Each pool's sharing labels resolved against the configs the GPU Operator's chart will be given, as the
            // autoscaler will resolve them; and each shared pool's layout against its GPU models' MIG tables.
            var config = GpuOperatorConfig.From(sharing.ConfigMaps(), sharing.OperatorSource);
            errors.AddRange(config.Errors.Select(e => $"{file}: {e}"));
            foreach (var pool in set.NodePools)
            {
                var (_, problems) = config.Resolve(GpuSharingSpec.Of(pool));
                errors.AddRange(problems.Select(p => $"{file}: NodePool/{pool.Metadata.Name}: {p}"));
            }

            errors.AddRange(sharing.Problems().Select(p => $"{file}: GPU sharing {p}"));
        }

        foreach (var duplicate in set.NodePools.GroupBy(p => p.Metadata.Name).Where(g => g.Count() > 1))
        {
            errors.Add($"{file}: NodePool/{duplicate.Key}: metadata.name: declared {duplicate.Count()} times");
        }

        return errors;
    }

    /// <summary>Validates and throws <see cref="NodePoolValidationException"/> listing every error.</summary>
    public static NodePoolSet EnsureValid(string environment, NodePoolSet set)
    {
        var errors = Validate(environment, set);
        return errors.Count == 0 ? set : throw new NodePoolValidationException(environment, errors);
    }

    /// <summary>The set as one multi-document YAML file, EC2NodeClasses first.</summary>
    public static string Render(NodePoolSet set) =>
        YamlDocuments.Join(set.NodeClasses.Select(c => KubernetesYaml.Serialize(c)).Concat(set.NodePools.Select(p => KubernetesYaml.Serialize(p))));
}
