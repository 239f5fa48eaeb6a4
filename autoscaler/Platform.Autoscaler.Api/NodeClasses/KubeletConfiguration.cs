using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using YamlDotNet.Serialization;

namespace Platform.Autoscaler.Api;

/// <summary>The kubelet settings Karpenter passes through, which also shape allocatable.</summary>
[CelRule("has(self.imageGCHighThresholdPercent) && has(self.imageGCLowThresholdPercent) ? self.imageGCHighThresholdPercent > self.imageGCLowThresholdPercent : true", "imageGCHighThresholdPercent must be greater than imageGCLowThresholdPercent")]
[CelRule("has(self.evictionSoft) ? self.evictionSoft.all(e, (e in self.evictionSoftGracePeriod)) : true", "evictionSoft OwnerKey does not have a matching evictionSoftGracePeriod")]
[CelRule("has(self.evictionSoftGracePeriod) ? self.evictionSoftGracePeriod.all(e, (e in self.evictionSoft)) : true", "evictionSoftGracePeriod OwnerKey does not have a matching evictionSoft")]
public sealed record KubeletConfiguration
{
    /// <summary>Cluster DNS server addresses.</summary>
    [Description("ClusterDNS is a list of IP addresses for the cluster DNS server.")]
    public IList<string>? ClusterDNS { get; init; }

    /// <summary>Overrides the max-pods the instance's ENIs allow.</summary>
    [Range(0, int.MaxValue)]
    [Description("MaxPods is an override for the maximum number of pods that can run on a worker node instance.")]
    public int? MaxPods { get; init; }

    /// <summary>Pods per vCPU; the lower of this and maxPods wins.</summary>
    [Range(0, int.MaxValue)]
    [Description("PodsPerCore is an override for the number of pods that can run on a worker node instance based on the number of cpu cores.")]
    public int? PodsPerCore { get; init; }

    /// <summary>Resources reserved for the OS: cpu, memory, ephemeral-storage, pid.</summary>
    [Items(Pattern = Patterns.Quantity), CelRules(typeof(NodeClassCelRules), nameof(NodeClassCelRules.SystemReserved))]
    [Description("SystemReserved contains resources reserved for OS system daemons and kernel memory.")]
    public IDictionary<string, string>? SystemReserved { get; init; }

    /// <summary>Resources reserved for Kubernetes daemons: cpu, memory, ephemeral-storage, pid.</summary>
    [Items(Pattern = Patterns.Quantity), CelRules(typeof(NodeClassCelRules), nameof(NodeClassCelRules.KubeReserved))]
    [Description("KubeReserved contains resources reserved for Kubernetes system components.")]
    public IDictionary<string, string>? KubeReserved { get; init; }

    /// <summary>Hard eviction thresholds, e.g. memory.available: 100Mi.</summary>
    [Items(Pattern = Patterns.EvictionThreshold), CelRules(typeof(NodeClassCelRules), nameof(NodeClassCelRules.EvictionSignals))]
    [Description("EvictionHard is the map of signal names to quantities that define hard eviction thresholds")]
    public IDictionary<string, string>? EvictionHard { get; init; }

    /// <summary>Soft eviction thresholds; each needs a grace period.</summary>
    [Items(Pattern = Patterns.EvictionThreshold), CelRules(typeof(NodeClassCelRules), nameof(NodeClassCelRules.EvictionSoftSignals))]
    [Description("EvictionSoft is the map of signal names to quantities that define soft eviction thresholds")]
    public IDictionary<string, string>? EvictionSoft { get; init; }

    /// <summary>Grace periods for the soft thresholds.</summary>
    [Items(Pattern = Patterns.Duration), CelRules(typeof(NodeClassCelRules), nameof(NodeClassCelRules.EvictionGraceSignals))]
    [Description("EvictionSoftGracePeriod is the map of signal names to quantities that define grace periods for each eviction signal")]
    public IDictionary<string, string>? EvictionSoftGracePeriod { get; init; }

    /// <summary>Longest grace period for pods evicted by a soft threshold, in seconds.</summary>
    [Description("EvictionMaxPodGracePeriod is the maximum allowed grace period (in seconds) to use when terminating pods in response to soft eviction thresholds being met.")]
    public int? EvictionMaxPodGracePeriod { get; init; }

    /// <summary>Disk usage percentage that starts image GC.</summary>
    [Range(0, 100)]
    [Description("ImageGCHighThresholdPercent is the percent of disk usage after which image garbage collection is always run.")]
    public int? ImageGCHighThresholdPercent { get; init; }

    /// <summary>Disk usage percentage image GC frees down to.</summary>
    [Range(0, 100)]
    [Description("ImageGCLowThresholdPercent is the percent of disk usage before which image garbage collection is never run.")]
    public int? ImageGCLowThresholdPercent { get; init; }

    /// <summary>Whether CPU CFS quota is enforced for containers with CPU limits.</summary>
    [JsonPropertyName("cpuCFSQuota"), YamlMember(Alias = "cpuCFSQuota", ApplyNamingConventions = false)]
    [Description("CPUCFSQuota enables CPU CFS quota enforcement for containers that specify CPU limits.")]
    public bool? CpuCfsQuota { get; init; }
}
