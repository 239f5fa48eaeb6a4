using k8s.Models;
using Platform.Autoscaler.Api.Serialization;
using Platform.Autoscaler.Api.Validation;
using Platform.Autoscaler.Kubernetes;

namespace Platform.Autoscaler.Planning;

/// <summary>
/// Pods, nodes, daemonsets and namespaces read from manifests: bare Pods, and Deployments, ReplicaSets, StatefulSets
/// and Jobs expanded into one pod per replica (a Job's parallelism), named after their owner. Namespaces give the
/// labels pod affinity terms' namespaceSelectors match. A document that cannot be read (a value of the wrong type, a
/// negative or absurd replica count) is an error naming it and its field; the others are still read.
/// </summary>
internal sealed record Workloads(
    IReadOnlyList<V1Pod> Pods, IReadOnlyList<V1Node> Nodes, IReadOnlyList<V1DaemonSet> DaemonSets, IReadOnlyList<string> Ignored,
    IReadOnlyList<ManifestError> Errors)
{
    /// <summary>The most pods one workload expands to: plan holds every pod in memory and solves them at once.</summary>
    public const int MaxReplicas = 100_000;

    public static Workloads From(IEnumerable<ManifestDocument> documents)
    {
        var pods = new List<V1Pod>();
        var nodes = new List<V1Node>();
        var daemonSets = new List<V1DaemonSet>();
        var namespaces = new List<V1Namespace>();
        var ignored = new List<string>();
        var errors = new List<ManifestError>();

        // The amounts the solver cannot use (PodChecks): the workload is left out with an error naming the field.
        bool Usable(ManifestDocument document, V1PodSpec? spec, string prefix)
        {
            if (PodChecks.Problem(spec) is not { } problem)
            {
                return true;
            }

            var colon = problem.IndexOf(": ", StringComparison.Ordinal);
            errors.Add(new ManifestError(document.File, document.Object, new FieldError(prefix + problem[..colon], problem[(colon + 2)..]), document.Line));
            return false;
        }

        void Add<T>(ManifestDocument document, List<T> into, Func<T, V1PodSpec?>? spec = null, string prefix = "")
            where T : class
        {
            var (value, error) = TypedDocument.Read<T>(document);
            if (error is not null)
            {
                errors.Add(error);
            }
            else if (value is not null && (spec is null || Usable(document, spec(value), prefix)))
            {
                into.Add(value);
            }
        }

        void Expand<T>(ManifestDocument document, Func<T, (V1ObjectMeta? Owner, V1PodTemplateSpec? Template, int? Count)> shape, string countField)
            where T : class
        {
            var (value, error) = TypedDocument.Read<T>(document);
            if (error is not null || value is null)
            {
                errors.AddRange(error is null ? [] : [error]);
                return;
            }

            var (owner, template, count) = shape(value);
            var problem = template?.Spec is null ? new FieldError("spec.template.spec", "required")
                : count < 0 ? new FieldError(countField, $"must not be negative, got {count}")
                : count > MaxReplicas ? new FieldError(countField, $"{count} is more than plan expands: at most {MaxReplicas} pods per workload")
                : null;
            if (problem is not null)
            {
                errors.Add(new ManifestError(document.File, document.Object, problem, document.Line));
                return;
            }

            if (!Usable(document, template!.Spec, "spec.template."))
            {
                return;
            }

            pods.AddRange(ExpandPods(owner ?? new V1ObjectMeta { Name = document.Name }, template!, count ?? 1));
        }

        foreach (var document in documents)
        {
            switch (document.ApiVersion, document.Kind)
            {
                case ("v1", "Pod"):
                    Add(document, pods, p => p.Spec);
                    break;
                case ("v1", "Namespace"):
                    Add(document, namespaces);
                    break;
                case ("v1", "Node"):
                    var nodeCount = nodes.Count;
                    Add(document, nodes);
                    if (nodes.Count > nodeCount && NodeProblem(nodes[^1]) is { } nodeProblem)
                    {
                        nodes.RemoveAt(nodes.Count - 1);
                        errors.Add(new ManifestError(document.File, document.Object, nodeProblem, document.Line));
                    }

                    break;
                case ("apps/v1", "Deployment"):
                    Expand<V1Deployment>(document, d => (d.Metadata, d.Spec?.Template, d.Spec?.Replicas), "spec.replicas");
                    break;
                case ("apps/v1", "ReplicaSet"):
                    Expand<V1ReplicaSet>(document, r => (r.Metadata, r.Spec?.Template, r.Spec?.Replicas), "spec.replicas");
                    break;
                case ("apps/v1", "StatefulSet"):
                    Expand<V1StatefulSet>(document, s => (s.Metadata, s.Spec?.Template, s.Spec?.Replicas), "spec.replicas");
                    break;
                case ("batch/v1", "Job"):
                    Expand<V1Job>(document, j => (j.Metadata, j.Spec?.Template, j.Spec?.Parallelism), "spec.parallelism");
                    break;
                case ("apps/v1", "DaemonSet"):
                    Add(document, daemonSets, d => d.Spec?.Template?.Spec, "spec.template.");
                    break;
                default:
                    ignored.Add($"{document.File}: {document.Object}");
                    break;
            }
        }

        return new Workloads(pods, nodes, daemonSets, ignored, errors) { Namespaces = namespaces };
    }

    /// <summary>A node's allocatable and capacity must convert to the autoscaler's units, as a pool's limits must.</summary>
    private static FieldError? NodeProblem(V1Node node)
    {
        foreach (var (field, amounts) in new[] { ("status.allocatable", node.Status?.Allocatable), ("status.capacity", node.Status?.Capacity) })
        {
            foreach (var (name, quantity) in amounts ?? new Dictionary<string, ResourceQuantity>())
            {
                if (!Api.Quantities.TryToBaseUnits(name, quantity, out _, out var problem))
                {
                    return new FieldError($"{field}[{name}]", problem);
                }
            }
        }

        return null;
    }

    /// <summary>Namespaces, for their labels.</summary>
    public IReadOnlyList<V1Namespace> Namespaces { get; init; } = [];

    private static IEnumerable<V1Pod> ExpandPods(V1ObjectMeta owner, V1PodTemplateSpec template, int replicas) =>
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
