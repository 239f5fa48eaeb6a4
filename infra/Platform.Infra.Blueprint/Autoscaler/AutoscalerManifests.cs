using System.Text.Json.Nodes;
using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Infra.Blueprint.GpuSharing;
using Platform.Infra.Blueprint.Helm;
using Platform.Infra.Blueprint.Interruption;
using Platform.Infra.Blueprint.Kubernetes;
using Platform.Infra.Blueprint.Settings;

namespace Platform.Infra.Blueprint.Autoscaler;

/// <summary>
/// The autoscaler's in-cluster objects: least-privilege RBAC (reading ConfigMaps only in the GPU Operator's namespace,
/// for its MIG and device plugin configs), the ConfigMap of the cluster's endpoint and service CIDR,
/// a leader-elected Deployment spread over zones and hosts on the system nodes (non-root, read-only root filesystem,
/// probes), its PDB, metrics Service and ServiceMonitor.
/// </summary>
public static class AutoscalerManifests
{
    /// <summary>Namespace of the autoscaler.</summary>
    public const string Namespace = "platform-autoscaler";

    /// <summary>Name of the Deployment, ServiceAccount, Service and RBAC objects.</summary>
    public const string Name = "platform-autoscaler";

    /// <summary>The Lease the replicas elect a leader with.</summary>
    public const string LeaderElectionLease = "platform-autoscaler-leader";

    /// <summary>Port of /metrics.</summary>
    public const int MetricsPort = 8080;

    /// <summary>Port of /healthz and /readyz.</summary>
    public const int HealthPort = 8081;

    /// <summary>Name of the metrics port, which the ServiceMonitor scrapes.</summary>
    public const string MetricsPortName = "http-metrics";

    private static readonly Dictionary<string, string> Selector = new() { ["app.kubernetes.io/name"] = Name };

    /// <summary>Builds the objects for the given settings.</summary>
    public static AutoscalerObjects Create(StackSettings settings)
    {
        var labels = new Dictionary<string, string>(Selector) { ["app.kubernetes.io/part-of"] = SettingsReader.Project };
        V1ObjectMeta Meta(string name, bool namespaced = true) =>
            new() { Name = name, NamespaceProperty = namespaced ? Namespace : null, Labels = new Dictionary<string, string>(labels) };

        var ns = new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = Meta(Namespace, namespaced: false) };
        var serviceAccount = new V1ServiceAccount { ApiVersion = "v1", Kind = "ServiceAccount", Metadata = Meta(Name) };
        var subject = new Rbacv1Subject { Kind = "ServiceAccount", Name = Name, NamespaceProperty = Namespace };

        var clusterRole = new V1ClusterRole
        {
            ApiVersion = "rbac.authorization.k8s.io/v1",
            Kind = "ClusterRole",
            Metadata = Meta(Name, namespaced: false),
            Rules =
            [
                Rule(NodePool.Group, ["nodepools", "nodepools/status", "nodeclaims", "nodeclaims/status"], "get", "list", "watch"),
                Rule(NodePool.Group, ["nodeclaims"], "create", "delete", "patch", "update"),
                Rule(NodePool.Group, ["nodepools", "nodepools/status", "nodeclaims/status"], "patch", "update"),
                Rule(EC2NodeClass.Group, ["ec2nodeclasses", "ec2nodeclasses/status"], "get", "list", "watch", "patch", "update"),
                Rule("", ["pods", "nodes", "persistentvolumes", "persistentvolumeclaims", "replicationcontrollers", "namespaces"], "get", "list", "watch"),
                Rule("storage.k8s.io", ["storageclasses", "csinodes", "volumeattachments"], "get", "list", "watch"),
                Rule("apps", ["daemonsets", "deployments", "replicasets", "statefulsets"], "list", "watch"),
                Rule("policy", ["poddisruptionbudgets"], "get", "list", "watch"),
                Rule("", ["nodes"], "create", "patch", "update", "delete"),
                Rule("", ["pods/eviction"], "create"),
                Rule("", ["pods"], "delete"),
                Rule("", ["events"], "create", "patch"),
            ],
        };
        var clusterRoleBinding = new V1ClusterRoleBinding
        {
            ApiVersion = "rbac.authorization.k8s.io/v1",
            Kind = "ClusterRoleBinding",
            Metadata = Meta(Name, namespaced: false),
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = Name },
            Subjects = [subject],
        };
        var role = new V1Role
        {
            ApiVersion = "rbac.authorization.k8s.io/v1",
            Kind = "Role",
            Metadata = Meta(Name),
            Rules =
            [
                Rule("coordination.k8s.io", ["leases"], "get", "watch", "create"),
                new V1PolicyRule { ApiGroups = ["coordination.k8s.io"], Resources = ["leases"], ResourceNames = [LeaderElectionLease], Verbs = ["patch", "update"] },
            ],
        };
        var roleBinding = new V1RoleBinding
        {
            ApiVersion = "rbac.authorization.k8s.io/v1",
            Kind = "RoleBinding",
            Metadata = Meta(Name),
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = Name },
            Subjects = [subject],
        };

        // The GPU Operator's MIG and device plugin configs: read in its namespace only.
        var gpuOperatorRole = new V1Role
        {
            ApiVersion = "rbac.authorization.k8s.io/v1",
            Kind = "Role",
            Metadata = new V1ObjectMeta { Name = Name, NamespaceProperty = HelmCharts.GpuOperatorNamespace, Labels = new Dictionary<string, string>(labels) },
            Rules = [Rule("", ["configmaps"], "get", "list", "watch")],
        };
        var gpuOperatorRoleBinding = new V1RoleBinding
        {
            ApiVersion = "rbac.authorization.k8s.io/v1",
            Kind = "RoleBinding",
            Metadata = new V1ObjectMeta { Name = Name, NamespaceProperty = HelmCharts.GpuOperatorNamespace, Labels = new Dictionary<string, string>(labels) },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = Name },
            Subjects = [subject],
        };

        // Data left to the Pulumi layer (ClusterConfig.Data): EKS assigns the values when it creates the cluster.
        var clusterConfig = new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = Meta(ClusterConfig.Name) };

        var deployment = new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = Meta(Name),
            Spec = new V1DeploymentSpec
            {
                Replicas = settings.Autoscaler.Replicas,
                RevisionHistoryLimit = 5,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(Selector) },
                Strategy = new V1DeploymentStrategy
                {
                    Type = "RollingUpdate",
                    RollingUpdate = new V1RollingUpdateDeployment { MaxUnavailable = 1, MaxSurge = 0 },
                },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string>(labels) },
                    Spec = PodSpec(settings),
                },
            },
        };
        var pdb = new V1PodDisruptionBudget
        {
            ApiVersion = "policy/v1",
            Kind = "PodDisruptionBudget",
            Metadata = Meta(Name),
            Spec = new V1PodDisruptionBudgetSpec
            {
                MaxUnavailable = 1,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(Selector) },
            },
        };
        var service = new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = Meta(Name),
            Spec = new V1ServiceSpec
            {
                Type = "ClusterIP",
                Selector = new Dictionary<string, string>(Selector),
                Ports = [new V1ServicePort { Name = MetricsPortName, Port = MetricsPort, TargetPort = MetricsPortName, Protocol = "TCP" }],
            },
        };
        var serviceMonitor = CustomObject.Create("monitoring.coreos.com/v1", "ServiceMonitor", Name, Namespace,
            new JsonObject
            {
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app.kubernetes.io/name"] = Name } },
                ["endpoints"] = new JsonArray(new JsonObject { ["port"] = MetricsPortName, ["interval"] = "15s", ["path"] = "/metrics" }),
            },
            labels);

        return new AutoscalerObjects(ns, serviceAccount, clusterRole, clusterRoleBinding, role, roleBinding, clusterConfig, deployment, pdb, service, serviceMonitor)
        {
            GpuOperatorRole = gpuOperatorRole,
            GpuOperatorRoleBinding = gpuOperatorRoleBinding,
        };
    }

    private static V1PodSpec PodSpec(StackSettings settings) => new()
    {
        ServiceAccountName = Name,
        PriorityClassName = "system-cluster-critical",
        // Never on a node it manages: a consolidation must not evict the autoscaler itself.
        NodeSelector = new Dictionary<string, string>(SystemNodes.Selector),
        Tolerations = [new V1Toleration { Key = "CriticalAddonsOnly", OperatorProperty = "Exists" }],
        TopologySpreadConstraints =
        [
            new V1TopologySpreadConstraint
            {
                MaxSkew = 1, TopologyKey = WellKnownLabels.Zone, WhenUnsatisfiable = "ScheduleAnyway",
                LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(Selector) },
            },
            new V1TopologySpreadConstraint
            {
                MaxSkew = 1, TopologyKey = WellKnownLabels.Hostname, WhenUnsatisfiable = "DoNotSchedule",
                LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(Selector) },
            },
        ],
        SecurityContext = new V1PodSecurityContext
        {
            RunAsNonRoot = true,
            RunAsUser = 65532,
            RunAsGroup = 65532,
            FsGroup = 65532,
            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
        },
        Containers =
        [
            new V1Container
            {
                Name = "autoscaler",
                Image = settings.Autoscaler.Image,
                Args = ["run"],
                Env =
                [
                    new V1EnvVar { Name = "CLUSTER_NAME", Value = settings.ClusterName },
                    new V1EnvVar { Name = "AWS_REGION", Value = settings.Region },
                    // What new nodes join through. The CA stays the autoscaler's default, the service account's ca.crt,
                    // which on EKS is the cluster CA; the service CIDR is set because EKS picks it per VPC.
                    FromClusterConfig("CLUSTER_ENDPOINT", ClusterConfig.EndpointKey),
                    FromClusterConfig("CLUSTER_SERVICE_CIDR", ClusterConfig.ServiceCidrKey),
                    new V1EnvVar { Name = "INTERRUPTION_QUEUE", Value = InterruptionQueue.QueueName(settings.ClusterName) },
                    new V1EnvVar { Name = "LOG_LEVEL", Value = settings.Autoscaler.LogLevel },
                    new V1EnvVar { Name = "LEADER_ELECTION_LEASE", Value = LeaderElectionLease },
                    new V1EnvVar { Name = "POD_NAMESPACE", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.namespace" } } },
                    new V1EnvVar { Name = "POD_NAME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } },
                    .. GpuOperatorEnvironment(GpuSharingPlan.For(settings)),
                ],
                Ports =
                [
                    new V1ContainerPort { Name = MetricsPortName, ContainerPort = MetricsPort, Protocol = "TCP" },
                    new V1ContainerPort { Name = "http-health", ContainerPort = HealthPort, Protocol = "TCP" },
                ],
                LivenessProbe = new V1Probe
                {
                    HttpGet = new V1HTTPGetAction { Path = "/healthz", Port = "http-health" },
                    InitialDelaySeconds = 15, PeriodSeconds = 20, TimeoutSeconds = 5,
                },
                ReadinessProbe = new V1Probe
                {
                    HttpGet = new V1HTTPGetAction { Path = "/readyz", Port = "http-health" },
                    InitialDelaySeconds = 5, PeriodSeconds = 10, TimeoutSeconds = 5,
                },
                Resources = new V1ResourceRequirements
                {
                    Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("250m"), ["memory"] = new("256Mi") },
                    Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("1Gi") },
                },
                SecurityContext = new V1SecurityContext
                {
                    ReadOnlyRootFilesystem = true,
                    AllowPrivilegeEscalation = false,
                    RunAsNonRoot = true,
                    Capabilities = new V1Capabilities { Drop = ["ALL"] },
                },
                VolumeMounts = [new V1VolumeMount { Name = "tmp", MountPath = "/tmp" }],
            },
        ],
        Volumes = [new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() }],
    };

    /// <summary>Where the autoscaler reads the GPU Operator's configs: the names the chart's values give them.</summary>
    private static IEnumerable<V1EnvVar> GpuOperatorEnvironment(GpuSharingPlan sharing)
    {
        var source = sharing.OperatorSource;
        yield return new V1EnvVar { Name = "GPU_OPERATOR_NAMESPACE", Value = source.Namespace };
        if (sharing.MigManager)
        {
            yield return new V1EnvVar { Name = "MIG_CONFIG_MAP", Value = source.MigConfigMap };
        }

        yield return new V1EnvVar { Name = "DEVICE_PLUGIN_CONFIG_MAP", Value = source.DevicePluginConfigMap };
        yield return new V1EnvVar { Name = "DEVICE_PLUGIN_DEFAULT_CONFIG", Value = source.DevicePluginDefaultConfig };
        yield return new V1EnvVar { Name = "MIG_STRATEGY", Value = source.MigStrategy };
    }

    private static V1EnvVar FromClusterConfig(string variable, string key) =>
        new() { Name = variable, ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = ClusterConfig.Name, Key = key } } };

    private static V1PolicyRule Rule(string group, string[] resources, params string[] verbs) =>
        new() { ApiGroups = [group], Resources = resources, Verbs = verbs };
}
