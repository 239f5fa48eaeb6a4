using System.Globalization;
using System.Text;
using Platform.Autoscaler.Api;

namespace Platform.Autoscaler.Aws.LaunchTemplates;

/// <summary>
/// AL2023 user data: a MIME multipart document whose NodeConfig part tells nodeadm how to join the cluster, with
/// the node class's kubelet settings and the unregistered taint (removed by the autoscaler when it registers the
/// node); the node class's own user data, if any, follows as another part.
/// </summary>
public static class NodeadmUserData
{
    private const string Boundary = "//";

    /// <summary>The user data text (not yet base64).</summary>
    public static string Render(ClusterInfo cluster, EC2NodeClassSpec spec)
    {
        var kubelet = spec.Kubelet;
        var config = new StringBuilder()
            .AppendLine("apiVersion: node.eks.aws/v1alpha1")
            .AppendLine("kind: NodeConfig")
            .AppendLine("spec:")
            .AppendLine("  cluster:")
            .AppendLine(CultureInfo.InvariantCulture, $"    name: {cluster.Name}")
            .AppendLine(CultureInfo.InvariantCulture, $"    apiServerEndpoint: {cluster.Endpoint}")
            .AppendLine(CultureInfo.InvariantCulture, $"    certificateAuthority: {cluster.CertificateAuthority}")
            .AppendLine(CultureInfo.InvariantCulture, $"    cidr: {cluster.ServiceCidr}")
            .AppendLine("  kubelet:")
            .AppendLine("    config:")
            .AppendLine(CultureInfo.InvariantCulture, $"      registerWithTaints: [{{key: {WellKnownTaints.Unregistered}, effect: NoExecute}}]");
        if (kubelet?.MaxPods is { } maxPods)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"      maxPods: {maxPods}");
        }

        if (kubelet?.ClusterDNS is { Count: > 0 } dns)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"      clusterDNS: [{string.Join(", ", dns)}]");
        }

        foreach (var (field, map) in new[] { ("kubeReserved", kubelet?.KubeReserved), ("systemReserved", kubelet?.SystemReserved), ("evictionHard", kubelet?.EvictionHard) })
        {
            if (map is { Count: > 0 })
            {
                config.AppendLine(CultureInfo.InvariantCulture, $"      {field}: {{{string.Join(", ", map.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}: \"{kv.Value}\""))}}}");
            }
        }

        var text = new StringBuilder()
            .AppendLine("MIME-Version: 1.0")
            .AppendLine(CultureInfo.InvariantCulture, $"Content-Type: multipart/mixed; boundary=\"{Boundary}\"")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"--{Boundary}")
            .AppendLine("Content-Type: application/node.eks.aws")
            .AppendLine()
            .Append(config);
        if (!string.IsNullOrWhiteSpace(spec.UserData))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"--{Boundary}")
                .AppendLine("Content-Type: text/x-shellscript; charset=\"us-ascii\"")
                .AppendLine()
                .AppendLine(spec.UserData.TrimEnd());
        }

        return text.AppendLine(CultureInfo.InvariantCulture, $"--{Boundary}--").ToString();
    }
}
