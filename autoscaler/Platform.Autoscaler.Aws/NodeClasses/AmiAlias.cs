using Platform.Autoscaler.Api;

namespace Platform.Autoscaler.Aws.NodeClasses;

/// <summary>
/// The SSM public parameters an AMI alias resolves through, per architecture and variant, with the node
/// requirements each variant serves (standard AMIs for nodes without accelerators, NVIDIA ones for GPU types,
/// Neuron ones for Inferentia and Trainium), as the AWS provider publishes them. Only AL2023 is served: the launcher
/// writes nodeadm user data, and validation refuses the other families.
/// </summary>
public static class AmiAlias
{
    /// <summary>One parameter to read and what an AMI from it serves.</summary>
    public sealed record Candidate(string Parameter, string Architecture, IReadOnlyList<NodeSelectorRequirementWithMinValues> Requirements);

    /// <summary>The candidates for an alias on a Kubernetes version, or an error naming what is unsupported.</summary>
    public static (IReadOnlyList<Candidate> Candidates, string? Error) Candidates(string alias, string kubernetesVersion)
    {
        var at = alias.IndexOf('@', StringComparison.Ordinal);
        var (family, version) = at < 0 ? (alias, "latest") : (alias[..at], alias[(at + 1)..]);
        switch (family)
        {
            case "al2023":
                return ([.. new[] { ("x86_64", "standard"), ("x86_64", "nvidia"), ("x86_64", "neuron"), ("arm64", "standard"), ("arm64", "nvidia") }
                    .Select(v => new Candidate(
                        version == "latest"
                            ? $"/aws/service/eks/optimized-ami/{kubernetesVersion}/amazon-linux-2023/{v.Item1}/{v.Item2}/recommended/image_id"
                            : $"/aws/service/eks/optimized-ami/{kubernetesVersion}/amazon-linux-2023/{v.Item1}/{v.Item2}/amazon-eks-node-al2023-{v.Item1}-{v.Item2}-{kubernetesVersion}-{version}/image_id",
                        Arch(v.Item1), Variant(v.Item2, Arch(v.Item1))))], null);
            default:
                return ([], $"alias family \"{family}\" is not supported by this autoscaler's launcher, which writes AL2023 (nodeadm) user data; use al2023");
        }
    }

    private static string Arch(string ec2Architecture) => ec2Architecture == "arm64" ? "arm64" : "amd64";

    private static IReadOnlyList<NodeSelectorRequirementWithMinValues> Variant(string variant, string architecture)
    {
        var arch = new NodeSelectorRequirementWithMinValues { Key = WellKnownLabels.Arch, Operator = Operators.In, Values = [architecture] };
        return variant switch
        {
            "nvidia" => [arch, new() { Key = WellKnownLabels.InstanceGpuCount, Operator = Operators.Exists }],
            "neuron" => [arch, new() { Key = WellKnownLabels.InstanceAcceleratorCount, Operator = Operators.Exists }],
            _ =>
            [
                arch,
                new() { Key = WellKnownLabels.InstanceGpuCount, Operator = Operators.DoesNotExist },
                new() { Key = WellKnownLabels.InstanceAcceleratorCount, Operator = Operators.DoesNotExist },
            ],
        };
    }
}
