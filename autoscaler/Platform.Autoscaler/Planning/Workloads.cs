using k8s;
using k8s.Models;
using Platform.Autoscaler.Api.Serialization;

namespace Platform.Autoscaler.Planning;

/// <summary>
/// Pods, nodes, daemonsets and namespaces read from manifests: bare Pods, and Deployments, ReplicaSets, StatefulSets
/// and Jobs expanded into one pod per replica (a Job's parallelism), named after their owner. Namespaces give the
/// labels pod affinity terms' namespaceSelectors match.
/// </summary>
internal sealed record Workloads(IReadOnlyList<V1Pod> Pods, IReadOnlyList<V1Node> Nodes, IReadOnlyList<V1DaemonSet> DaemonSets, IReadOnlyList<string> Ignored)
{
    public static Workloads From(IEnumerable<ManifestDocument> documents)
    {
        var pods = new List<V1Pod>();
        var nodes = new List<V1Node>();
        var daemonSets = new List<V1DaemonSet>();
        var namespaces = new List<V1Namespace>();
        var ignored = new List<string>();
        foreach (var document in documents)
        {
            switch (document.ApiVersion, document.Kind)
            {
                case ("v1", "Pod"):
                    pods.Add(KubernetesYaml.Deserialize<V1Pod>(document.Yaml));
                    break;
                case ("v1", "Namespace"):
                    namespaces.Add(KubernetesYaml.Deserialize<V1Namespace>(document.Yaml));
                    break;
                case ("v1", "Node"):
                    nodes.Add(KubernetesYaml.Deserialize<V1Node>(document.Yaml));
                    break;
                case ("apps/v1", "Deployment"):
                    var deployment = KubernetesYaml.Deserialize<V1Deployment>(document.Yaml);
                    pods.AddRange(Expand(deployment.Metadata, deployment.Spec.Template, deployment.Spec.Replicas ?? 1));
                    break;
                case ("apps/v1", "ReplicaSet"):
                    var replicaSet = KubernetesYaml.Deserialize<V1ReplicaSet>(document.Yaml);
                    pods.AddRange(Expand(replicaSet.Metadata, replicaSet.Spec.Template, replicaSet.Spec.Replicas ?? 1));
                    break;
                case ("apps/v1", "StatefulSet"):
                    var statefulSet = KubernetesYaml.Deserialize<V1StatefulSet>(document.Yaml);
                    pods.AddRange(Expand(statefulSet.Metadata, statefulSet.Spec.Template, statefulSet.Spec.Replicas ?? 1));
                    break;
                case ("batch/v1", "Job"):
                    var job = KubernetesYaml.Deserialize<V1Job>(document.Yaml);
                    pods.AddRange(Expand(job.Metadata, job.Spec.Template, job.Spec.Parallelism ?? 1));
                    break;
                case ("apps/v1", "DaemonSet"):
                    daemonSets.Add(KubernetesYaml.Deserialize<V1DaemonSet>(document.Yaml));
                    break;
                default:
                    ignored.Add($"{document.File}: {document.Object}");
                    break;
            }
        }

        return new Workloads(pods, nodes, daemonSets, ignored) { Namespaces = namespaces };
    }

    /// <summary>Namespaces, for their labels.</summary>
    public IReadOnlyList<V1Namespace> Namespaces { get; init; } = [];

    private static IEnumerable<V1Pod> Expand(V1ObjectMeta owner, V1PodTemplateSpec template, int replicas) =>
        Enumerable.Range(0, replicas).Select(i => new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = $"{owner.Name}-{i}",
                NamespaceProperty = owner.NamespaceProperty ?? template.Metadata?.NamespaceProperty ?? "default",
                Labels = template.Metadata?.Labels,
                Annotations = template.Metadata?.Annotations,
            },
            Spec = template.Spec,
        });
}
