using Platform.Infra.Blueprint;
using Platform.Infra.Blueprint.Network;
using Platform.Infra.Blueprint.Ordering;
using Platform.Infra.Blueprint.Settings;
using Platform.Infra.Kubernetes;
using Pulumi;
using Pulumi.Aws;
using KubernetesProvider = Pulumi.Kubernetes.Provider;
using KubernetesProviderArgs = Pulumi.Kubernetes.ProviderArgs;

namespace Platform.Infra;

/// <summary>
/// The stack: settings and blueprint first (a bad setting or NodePool stops here, before any resource is declared),
/// then network, interruption queue, IAM and the cluster; then a Kubernetes provider from the cluster's kubeconfig
/// for the in-cluster layer, which also gets the cluster's endpoint and service CIDR for the nodes the autoscaler launches.
/// Every stage waits for the ones <see cref="StackOrder"/> names.
/// </summary>
public static class GpuPlatform
{
    /// <summary>Declares every resource and returns the stack outputs.</summary>
    public static async Task<IDictionary<string, object?>> BuildAsync(string stack, Func<string, string?> config) =>
        (await DeclareAsync(stack, config).ConfigureAwait(false)).Outputs;

    /// <summary>
    /// Declares every resource; <paramref name="options"/> (transformations, protect) apply to every top-level
    /// resource and so to all of their children.
    /// </summary>
    public static async Task<DeclaredStack> DeclareAsync(string stack, Func<string, string?> config, ComponentResourceOptions? options = null)
    {
        var settings = SettingsReader.Read(stack, config);
        var blueprint = StackBlueprint.Create(settings);

        var zones = await GetAvailabilityZones.InvokeAsync(new GetAvailabilityZonesArgs { State = "available" }).ConfigureAwait(false);
        var plan = NetworkPlan.Create(settings, zones.Names);
        var partition = GetPartition.Invoke().Apply(p => p.Partition);
        var account = GetCallerIdentity.Invoke().Apply(c => c.AccountId);
        var stages = new StagedResources();

        var network = new Network(settings.ClusterName, new NetworkArgs(plan), options);
        stages.Add(Stage.Network, network);
        var queue = new InterruptionQueue($"{settings.ClusterName}-interruption",
            new InterruptionQueueArgs(blueprint.InterruptionQueueName, Tagging.Common(settings)), options);
        stages.Add(Stage.InterruptionQueue, queue);
        var iam = new Iam(settings.ClusterName, new IamArgs(settings, partition, account, queue.Arn), options);
        stages.Add(Stage.Iam, iam);
        var cluster = new Cluster(settings.ClusterName, new ClusterArgs(
            settings, network.VpcId, network.PublicSubnetIds, network.PrivateSubnetIds, iam.NodeRole, iam.AutoscalerRoleArn, iam.EbsCsiDriverRoleArn, stages),
            options);

        var provider = new KubernetesProvider($"{settings.ClusterName}-k8s", new KubernetesProviderArgs
        {
            KubeConfig = cluster.Kubeconfig,
            EnableServerSideApply = true,
        }, new CustomResourceOptions
        {
            DependsOn = [.. stages.DependenciesOf(Stage.KubernetesProvider)],
            ResourceTransformations = options?.ResourceTransformations ?? [],
            Protect = options?.Protect,
        });
        stages.Add(Stage.KubernetesProvider, provider);
        var inCluster = InCluster.Deploy(blueprint, provider, new ClusterCoordinates(cluster.Endpoint, cluster.ServiceCidr), stages, options);

        return new DeclaredStack(new Dictionary<string, object?>
        {
            ["clusterName"] = cluster.ClusterName,
            ["kubeconfig"] = cluster.Kubeconfig,
            ["interruptionQueueUrl"] = queue.Url,
            ["nodeRoleArn"] = iam.NodeRoleArn,
            ["autoscalerRoleArn"] = iam.AutoscalerRoleArn,
            ["ebsCsiDriverRoleArn"] = iam.EbsCsiDriverRoleArn,
            ["nodePoolNames"] = inCluster.NodePools.Names,
            ["vpcId"] = network.VpcId,
        }, stages);
    }
}
