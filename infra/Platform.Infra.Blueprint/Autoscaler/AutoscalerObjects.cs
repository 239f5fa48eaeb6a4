using Platform.Infra.Blueprint.Rendering;
using k8s;
using k8s.Models;
using Platform.Infra.Blueprint.Kubernetes;

namespace Platform.Infra.Blueprint.Autoscaler;

/// <summary>Everything the autoscaler runs with, as Kubernetes models, in the order they are applied.</summary>
public sealed record AutoscalerObjects(
    V1Namespace Namespace,
    V1ServiceAccount ServiceAccount,
    V1ClusterRole ClusterRole,
    V1ClusterRoleBinding ClusterRoleBinding,
    V1Role Role,
    V1RoleBinding RoleBinding,
    V1ConfigMap ClusterConfig,
    V1Deployment Deployment,
    V1PodDisruptionBudget PodDisruptionBudget,
    V1Service Service,
    CustomObject ServiceMonitor)
{
    /// <summary>Reading ConfigMaps in the GPU Operator's namespace (its MIG and device plugin configs).</summary>
    public required V1Role GpuOperatorRole { get; init; }

    /// <summary>Binds <see cref="GpuOperatorRole"/> to the autoscaler's ServiceAccount.</summary>
    public required V1RoleBinding GpuOperatorRoleBinding { get; init; }

    /// <summary>The objects KubernetesClient has models for.</summary>
    public IEnumerable<IKubernetesObject<V1ObjectMeta>> Models =>
        [Namespace, ServiceAccount, ClusterRole, ClusterRoleBinding, Role, RoleBinding, GpuOperatorRole, GpuOperatorRoleBinding, ClusterConfig, Deployment, PodDisruptionBudget, Service];

    /// <summary>All of them as one multi-document YAML file.</summary>
    public string Render() =>
        YamlDocuments.Join(Models.Select(m => KubernetesYaml.Serialize(m)).Append(ServiceMonitor.ToYaml()));
}
