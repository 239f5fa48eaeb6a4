using Platform.Infra.Blueprint.Autoscaler;
using Platform.Infra.Blueprint.Ordering;
using Pulumi;
using CustomResource = Pulumi.Kubernetes.ApiExtensions.CustomResource;
using Deployment = Pulumi.Kubernetes.Apps.V1.Deployment;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Policy.V1;
using Pulumi.Kubernetes.Rbac.V1;
using Pulumi.Kubernetes.Types.Inputs.Apps.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Policy.V1;
using Pulumi.Kubernetes.Types.Inputs.Rbac.V1;
using Pulumi.Kubernetes.Types.Inputs.Yaml.V2;
using ConfigGroup = Pulumi.Kubernetes.Yaml.V2.ConfigGroup;

namespace Platform.Infra.Kubernetes;

/// <summary>
/// The autoscaler in the cluster: its CRDs (NodePool, NodeClaim, EC2NodeClass), namespace, ServiceAccount,
/// least-privilege RBAC, the ConfigMap of the cluster's endpoint and service CIDR, the leader-elected Deployment, PDB,
/// metrics Service and ServiceMonitor.
/// </summary>
public sealed class Autoscaler : ComponentResource
{
    public Autoscaler(string name, AutoscalerArgs args, ComponentResourceOptions? options = null)
        : base("platform:kubernetes:Autoscaler", name, options)
    {
        var o = args.Objects;
        var stages = args.Stages;
        var child = ComponentOptions.Child(this, args.Provider);
        Crds = new ConfigGroup("crds", new ConfigGroupArgs { Yaml = string.Join("---\n", args.Crds) },
            ComponentOptions.ChildComponent(this, args.Provider, stages.DependenciesOf(Stage.AutoscalerCrds)));
        stages.Add(Stage.AutoscalerCrds, Crds);

        var ns = new Namespace(o.Namespace.Metadata.Name, KubernetesArgs.From<NamespaceArgs>(o.Namespace), child);
        var inNamespace = ComponentOptions.Child(this, args.Provider, [ns]);
        var serviceAccount = new ServiceAccount(o.ServiceAccount.Metadata.Name, KubernetesArgs.From<ServiceAccountArgs>(o.ServiceAccount), inNamespace);
        var clusterRole = new ClusterRole(o.ClusterRole.Metadata.Name, KubernetesArgs.From<ClusterRoleArgs>(o.ClusterRole), child);
        var clusterRoleBinding = new ClusterRoleBinding(o.ClusterRoleBinding.Metadata.Name,
            KubernetesArgs.From<ClusterRoleBindingArgs>(o.ClusterRoleBinding), ComponentOptions.Child(this, args.Provider, [clusterRole, serviceAccount]));
        var role = new Role($"{o.Role.Metadata.Name}-leader-election", KubernetesArgs.From<RoleArgs>(o.Role), inNamespace);
        var roleBinding = new RoleBinding($"{o.RoleBinding.Metadata.Name}-leader-election",
            KubernetesArgs.From<RoleBindingArgs>(o.RoleBinding), ComponentOptions.Child(this, args.Provider, [role, serviceAccount]));

        // In the GPU Operator's namespace, which its release creates.
        var gpuOperatorRole = new Role($"{o.GpuOperatorRole.Metadata.Name}-gpu-operator-configs", KubernetesArgs.From<RoleArgs>(o.GpuOperatorRole),
            ComponentOptions.Child(this, args.Provider, [.. stages.Of(Stage.GpuOperator)]));
        var gpuOperatorRoleBinding = new RoleBinding($"{o.GpuOperatorRoleBinding.Metadata.Name}-gpu-operator-configs",
            KubernetesArgs.From<RoleBindingArgs>(o.GpuOperatorRoleBinding), ComponentOptions.Child(this, args.Provider, [gpuOperatorRole, serviceAccount]));

        // An EKS cluster keeps its endpoint and service CIDR for life, so no checksum on the pod template rolls the
        // pods when they change: another cluster means another provider, on which every object is created anew.
        var clusterConfigArgs = KubernetesArgs.From<ConfigMapArgs>(o.ClusterConfig);
        clusterConfigArgs.Data = Output.Tuple(args.Cluster.Endpoint, args.Cluster.ServiceCidr)
            .Apply(c => ClusterConfig.Data(c.Item1, c.Item2));
        var clusterConfig = new ConfigMap(o.ClusterConfig.Metadata.Name, clusterConfigArgs, inNamespace);

        // Its permissions come first, and its environment names the cluster ConfigMap, without which the pods do not
        // start; the stages it waits for are StackOrder's (CRDs, Pod Identity, nodes, DNS, and what it uses on AWS).
        Deployment = new Deployment(o.Deployment.Metadata.Name, KubernetesArgs.From<DeploymentArgs>(o.Deployment),
            ComponentOptions.Child(this, args.Provider, [.. stages.DependenciesOf(Stage.Autoscaler), clusterRoleBinding, roleBinding, gpuOperatorRoleBinding, clusterConfig]));
        stages.Add(Stage.Autoscaler, Deployment);
        _ = new PodDisruptionBudget(o.PodDisruptionBudget.Metadata.Name,
            KubernetesArgs.From<PodDisruptionBudgetArgs>(o.PodDisruptionBudget), inNamespace);
        var service = new Service(o.Service.Metadata.Name, KubernetesArgs.From<ServiceArgs>(o.Service), inNamespace);
        _ = new CustomResource($"{o.ServiceMonitor.Name}-metrics", CustomObjectArgs.From(o.ServiceMonitor),
            ComponentOptions.Child(this, args.Provider, [service, .. stages.Of(Stage.Monitoring)]));

        Namespace = Output.Create(o.Namespace.Metadata.Name);
        RegisterOutputs(new Dictionary<string, object?> { ["namespace"] = Namespace });
    }

    /// <summary>The CRDs; NodePools and EC2NodeClasses are applied after them.</summary>
    public ConfigGroup Crds { get; }

    /// <summary>The Deployment; NodePools are applied after it so the autoscaler sees them from its first list.</summary>
    public Deployment Deployment { get; }

    [Output("namespace")]
    public Output<string> Namespace { get; private set; }
}
