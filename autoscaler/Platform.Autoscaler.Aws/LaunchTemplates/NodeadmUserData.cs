using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Platform.Autoscaler.Api;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace Platform.Autoscaler.Aws.LaunchTemplates;

/// <summary>
/// AL2023 user data: a MIME multipart document whose NodeConfig part tells nodeadm how to join the cluster, with
/// every kubelet setting of the node class, the unregistered taint (removed by the autoscaler when it registers the
/// node) and, for instanceStorePolicy RAID0, the local NVMe disks striped for ephemeral storage. The node class's own
/// user data follows as Karpenter merges it: the parts of a MIME document, a NodeConfig (any YAML mapping), or else a
/// shell script. With amiFamily Custom the class's user data is the whole user data, untouched.
/// </summary>
public static partial class NodeadmUserData
{
    private const string Boundary = "//";

    /// <summary>The user data text (not yet base64).</summary>
    public static string Render(ClusterInfo cluster, EC2NodeClassSpec spec)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.AmiFamily == "Custom" && !(spec.AmiSelectorTerms ?? []).Any(t => t.Alias is not null))
        {
            return spec.UserData ?? "";
        }

        var text = new StringBuilder()
            .AppendLine("MIME-Version: 1.0")
            .AppendLine(CultureInfo.InvariantCulture, $"Content-Type: multipart/mixed; boundary=\"{Boundary}\"")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"--{Boundary}")
            .AppendLine("Content-Type: application/node.eks.aws")
            .AppendLine()
            .Append(NodeConfig(cluster, spec));
        foreach (var (contentType, content) in ClassParts(spec.UserData))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"--{Boundary}")
                .AppendLine(CultureInfo.InvariantCulture, $"Content-Type: {contentType}")
                .AppendLine()
                .AppendLine(content.TrimEnd());
        }

        return text.AppendLine(CultureInfo.InvariantCulture, $"--{Boundary}--").ToString();
    }

    /// <summary>The NodeConfig document: cluster, kubelet configuration, and the instance's local storage.</summary>
    internal static string NodeConfig(ClusterInfo cluster, EC2NodeClassSpec spec)
    {
        var kubelet = spec.Kubelet ?? new KubeletConfiguration();
        // Karpenter's kubelet fields carry the names of the kubelet's own KubeletConfiguration, which nodeadm merges in.
        var config = new SortedDictionary<string, object>(StringComparer.Ordinal)
        {
            ["registerWithTaints"] = new[] { new Dictionary<string, string> { ["key"] = WellKnownTaints.Unregistered, ["effect"] = "NoExecute" } },
        };
        Add(config, "maxPods", kubelet.MaxPods);
        Add(config, "podsPerCore", kubelet.PodsPerCore);
        Add(config, "clusterDNS", kubelet.ClusterDNS is { Count: > 0 } dns ? dns : null);
        Add(config, "kubeReserved", Map(kubelet.KubeReserved));
        Add(config, "systemReserved", Map(kubelet.SystemReserved));
        Add(config, "evictionHard", Map(kubelet.EvictionHard));
        Add(config, "evictionSoft", Map(kubelet.EvictionSoft));
        Add(config, "evictionSoftGracePeriod", Map(kubelet.EvictionSoftGracePeriod));
        Add(config, "evictionMaxPodGracePeriod", kubelet.EvictionMaxPodGracePeriod);
        Add(config, "imageGCHighThresholdPercent", kubelet.ImageGCHighThresholdPercent);
        Add(config, "imageGCLowThresholdPercent", kubelet.ImageGCLowThresholdPercent);
        Add(config, "cpuCFSQuota", kubelet.CpuCfsQuota);

        var nodeSpec = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["cluster"] = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["name"] = cluster.Name,
                ["apiServerEndpoint"] = cluster.Endpoint,
                ["certificateAuthority"] = cluster.CertificateAuthority,
                ["cidr"] = cluster.ServiceCidr,
            },
            ["kubelet"] = new Dictionary<string, object> { ["config"] = config },
        };
        if (spec.InstanceStorePolicy == "RAID0")
        {
            nodeSpec["instance"] = new Dictionary<string, object> { ["localStorage"] = new Dictionary<string, string> { ["strategy"] = "RAID0" } };
        }

        var document = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["apiVersion"] = "node.eks.aws/v1alpha1",
            ["kind"] = "NodeConfig",
            ["spec"] = nodeSpec,
        };
        return new SerializerBuilder().Build().Serialize(document);
    }

    /// <summary>The class's user data as MIME parts: its own parts if it is MIME, else one NodeConfig or shell part.</summary>
    internal static IEnumerable<(string ContentType, string Content)> ClassParts(string? userData)
    {
        if (string.IsNullOrWhiteSpace(userData))
        {
            return [];
        }

        var trimmed = userData.TrimStart();
        if (trimmed.StartsWith("MIME-Version:", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))
        {
            return MimeParts(userData);
        }

        return [(IsYamlMapping(userData) ? "application/node.eks.aws" : "text/x-shellscript; charset=\"us-ascii\"", userData)];
    }

    private static void Add(IDictionary<string, object> config, string key, object? value)
    {
        if (value is not null)
        {
            config[key] = value;
        }
    }

    private static SortedDictionary<string, string>? Map(IDictionary<string, string>? map) =>
        map is { Count: > 0 } ? new SortedDictionary<string, string>(map, StringComparer.Ordinal) : null;

    private static bool IsYamlMapping(string text)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode;
        }
        catch (YamlException)
        {
            return false;
        }
    }

    /// <summary>Splits a multipart document at its boundary; each part keeps its content type and body.</summary>
    private static List<(string ContentType, string Content)> MimeParts(string document)
    {
        var lines = document.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var boundary = lines.TakeWhile(l => l.Length > 0)
            .Select(l => BoundaryParameter().Match(l))
            .FirstOrDefault(m => m.Success)?.Groups[1].Value
            ?? throw new FormatException("the node class's MIME user data names no boundary in its Content-Type header");
        var parts = new List<(string, string)>();
        List<string>? current = null;
        foreach (var line in lines)
        {
            var marker = line.TrimEnd();
            if (marker == $"--{boundary}" || marker == $"--{boundary}--")
            {
                if (current is not null)
                {
                    parts.Add(Part(current));
                }

                // The closing delimiter ends the last part; the epilogue after it is not user data.
                current = marker == $"--{boundary}--" ? null : [];
                continue;
            }

            current?.Add(line);
        }

        return parts;
    }

    private static (string ContentType, string Content) Part(List<string> lines)
    {
        var headerEnd = lines.IndexOf("");
        var headers = headerEnd < 0 ? lines : lines[..headerEnd];
        var contentType = headers.Select(h => h.Split(':', 2)).FirstOrDefault(h => h.Length == 2 && h[0].Trim().Equals("Content-Type", StringComparison.OrdinalIgnoreCase))?[1].Trim()
            ?? "text/x-shellscript; charset=\"us-ascii\"";
        return (contentType, string.Join('\n', headerEnd < 0 ? [] : lines[(headerEnd + 1)..]));
    }

    [GeneratedRegex("boundary=\"?([^\";]+)\"?", RegexOptions.IgnoreCase)]
    private static partial Regex BoundaryParameter();
}
