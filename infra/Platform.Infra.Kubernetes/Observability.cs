using Platform.Infra.Blueprint.Monitoring;
using Pulumi;
using CustomResource = Pulumi.Kubernetes.ApiExtensions.CustomResource;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Helm.V3;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;

namespace Platform.Infra.Kubernetes;

/// <summary>Prometheus, Alertmanager and Grafana (kube-prometheus-stack), the seeds' alert and cost rules, the dashboards.</summary>
public sealed class Observability : ComponentResource
{
    public Observability(string name, ObservabilityArgs args, ComponentResourceOptions? options = null)
        : base("platform:kubernetes:Observability", name, options)
    {
        Release = HelmReleases.Create(args.KubePrometheusStack, ComponentOptions.Child(this, args.Provider, args.DependsOn));
        var afterCrds = ComponentOptions.Child(this, args.Provider, [Release]);
        foreach (var rule in args.PrometheusRules)
        {
            _ = new CustomResource(rule.Name, CustomObjectArgs.From(rule), afterCrds);
        }

        foreach (var (dashboard, json) in args.Dashboards)
        {
            _ = new ConfigMap($"dashboard-{dashboard}", new ConfigMapArgs
            {
                Metadata = new ObjectMetaArgs
                {
                    Name = $"grafana-dashboard-{dashboard}",
                    Namespace = args.KubePrometheusStack.Namespace,
                    Labels = { { Dashboards.Label, Dashboards.LabelValue } },
                },
                Data = { { $"{dashboard}.json", json } },
            }, afterCrds);
        }

        Namespace = Output.Create(args.KubePrometheusStack.Namespace);
        RegisterOutputs(new Dictionary<string, object?> { ["namespace"] = Namespace });
    }

    /// <summary>The kube-prometheus-stack release; ServiceMonitors and rules elsewhere depend on its CRDs.</summary>
    public Release Release { get; }

    [Output("namespace")]
    public Output<string> Namespace { get; private set; }
}
