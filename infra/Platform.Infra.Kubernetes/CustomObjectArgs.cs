using System.Text.Json;
using Platform.Infra.Blueprint.Kubernetes;
using Pulumi;
using Pulumi.Kubernetes.ApiExtensions;
using Pulumi.Kubernetes.Types.Inputs.Meta.V1;

namespace Platform.Infra.Kubernetes;

/// <summary>Args of a custom resource whose body is a blueprint-computed <c>spec</c> (ServiceMonitor, NodePool ...).</summary>
internal sealed class CustomObjectArgs : CustomResourceArgs
{
    public CustomObjectArgs(string apiVersion, string kind, ObjectMetaArgs metadata, JsonElement spec)
        : base(apiVersion, kind)
    {
        Metadata = metadata;
        Spec = spec;
    }

    [Input("spec")]
    public Input<JsonElement>? Spec { get; set; }

    public static CustomObjectArgs From(CustomObject value)
    {
        var metadata = new ObjectMetaArgs { Name = value.Name };
        if (value.Namespace is not null)
        {
            metadata.Namespace = value.Namespace;
        }

        if (value.Labels.Count > 0)
        {
            metadata.Labels = value.Labels.ToDictionary(l => l.Key, l => l.Value);
        }

        return new CustomObjectArgs(value.ApiVersion, value.Kind, metadata, value.Spec);
    }
}
