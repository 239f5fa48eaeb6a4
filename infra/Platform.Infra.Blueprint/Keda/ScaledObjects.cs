using System.Globalization;
using System.Text.Json.Nodes;
using Platform.Infra.Blueprint.Helm;
using Platform.Infra.Blueprint.Kubernetes;

namespace Platform.Infra.Blueprint.Keda;

/// <summary>
/// The seeds' ScaledObject pattern as a typed helper: a Prometheus trigger on a GPU metric, a fallback replica count
/// when Prometheus is unreachable, fast scale-up and a slow, stabilised scale-down.
/// </summary>
public static class ScaledObjects
{
    /// <summary>The KEDA API version.</summary>
    public const string ApiVersion = "keda.sh/v1alpha1";

    /// <summary>Builds the ScaledObject.</summary>
    /// <exception cref="ArgumentException">The replica range or thresholds are inconsistent.</exception>
    public static CustomObject Create(ScaledObjectSpec spec)
    {
        if (spec.MinReplicas < 0 || spec.MaxReplicas < Math.Max(1, spec.MinReplicas))
        {
            throw new ArgumentException($"ScaledObject {spec.Name}: replicas must satisfy 0 <= min <= max and max >= 1 (got {spec.MinReplicas}..{spec.MaxReplicas})", nameof(spec));
        }

        if (spec.Threshold <= 0 || spec.ActivationThreshold < 0)
        {
            throw new ArgumentException($"ScaledObject {spec.Name}: threshold must be positive and activationThreshold not negative", nameof(spec));
        }

        static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
        return CustomObject.Create(ApiVersion, "ScaledObject", spec.Name, spec.Namespace, new JsonObject
        {
            ["scaleTargetRef"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = spec.Deployment },
            ["pollingInterval"] = spec.PollingInterval,
            ["cooldownPeriod"] = spec.CooldownPeriod,
            ["minReplicaCount"] = spec.MinReplicas,
            ["maxReplicaCount"] = spec.MaxReplicas,
            ["fallback"] = new JsonObject { ["failureThreshold"] = 3, ["replicas"] = Math.Clamp(spec.MinReplicas + 1, 1, spec.MaxReplicas) },
            ["advanced"] = new JsonObject
            {
                ["horizontalPodAutoscalerConfig"] = new JsonObject
                {
                    ["behavior"] = new JsonObject
                    {
                        ["scaleDown"] = new JsonObject
                        {
                            ["stabilizationWindowSeconds"] = 300,
                            ["policies"] = new JsonArray(new JsonObject { ["type"] = "Percent", ["value"] = 25, ["periodSeconds"] = 60 }),
                        },
                        ["scaleUp"] = new JsonObject
                        {
                            ["stabilizationWindowSeconds"] = 0,
                            ["policies"] = new JsonArray(
                                new JsonObject { ["type"] = "Percent", ["value"] = 100, ["periodSeconds"] = 15 },
                                new JsonObject { ["type"] = "Pods", ["value"] = 4, ["periodSeconds"] = 15 }),
                            ["selectPolicy"] = "Max",
                        },
                    },
                },
            },
            ["triggers"] = new JsonArray(new JsonObject
            {
                ["type"] = "prometheus",
                ["metadata"] = new JsonObject
                {
                    ["serverAddress"] = HelmCharts.PrometheusAddress,
                    ["query"] = spec.Query,
                    ["threshold"] = Text(spec.Threshold),
                    ["activationThreshold"] = Text(spec.ActivationThreshold),
                },
            }),
        });
    }
}
