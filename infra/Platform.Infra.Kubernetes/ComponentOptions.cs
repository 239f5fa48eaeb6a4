using Pulumi;

namespace Platform.Infra.Kubernetes;

/// <summary>Resource options for children of a component: parented to it, on the cluster's provider.</summary>
internal static class ComponentOptions
{
    public static CustomResourceOptions Child(ComponentResource parent, ProviderResource provider, IEnumerable<Resource>? dependsOn = null) =>
        new() { Parent = parent, Provider = provider, DependsOn = [.. dependsOn ?? []] };

    public static ComponentResourceOptions ChildComponent(ComponentResource parent, ProviderResource provider, IEnumerable<Resource>? dependsOn = null) =>
        new() { Parent = parent, Providers = [provider], DependsOn = [.. dependsOn ?? []] };
}
