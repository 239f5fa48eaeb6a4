using Platform.Infra.Blueprint.Autoscaler;
using Platform.Infra.Blueprint.Kubernetes;
using Platform.Infra.Blueprint.Network;
using Platform.Infra.Blueprint.Ordering;
using Platform.Infra.Kubernetes;
using Pulumi;
using Pulumi.Aws.Eks;
using Pulumi.Aws.Eks.Inputs;
using Pulumi.Eks;
using Pulumi.Eks.Inputs;
using Addon = Pulumi.Aws.Eks.Addon;
using AddonArgs = Pulumi.Aws.Eks.AddonArgs;
using EksCluster = Pulumi.Eks.Cluster;

namespace Platform.Infra;

/// <summary>
/// EKS via Pulumi.Eks: OIDC provider, API access entries (the node role as EC2_LINUX), the small system managed node
/// group (IMDSv2) that runs the autoscaler, CoreDNS and the operators, and the addons (vpc-cni and kube-proxy inside
/// the pulumi-eks Cluster; eks-pod-identity-agent, coredns and aws-ebs-csi-driver here); the autoscaler's role bound by
/// Pod Identity. Each resource waits for the stages <see cref="StackOrder"/> names, through explicit DependsOn.
/// </summary>
public sealed class Cluster : ComponentResource
{
    public Cluster(string name, ClusterArgs args, ComponentResourceOptions? options = null)
        : base("platform:aws:Cluster", name, options)
    {
        var settings = args.Settings;
        var stages = args.Stages;
        CustomResourceOptions After(Stage stage) => new() { Parent = this, DependsOn = [.. stages.DependenciesOf(stage)] };
        var tags = Tagging.Common(settings).ToDictionary();
        var discovery = new Dictionary<string, string> { [WellKnownTags.Discovery] = settings.ClusterName };

        var cluster = new EksCluster(name, new Pulumi.Eks.ClusterArgs
        {
            Name = settings.ClusterName,
            Version = settings.KubernetesVersion,
            VpcId = args.VpcId,
            PublicSubnetIds = args.PublicSubnetIds,
            PrivateSubnetIds = args.PrivateSubnetIds,
            NodeAssociatePublicIpAddress = false,
            SkipDefaultNodeGroup = true,
            CreateOidcProvider = true,
            AuthenticationMode = AuthenticationMode.Api,
            AccessEntries =
            {
                ["nodes"] = new Pulumi.Eks.Inputs.AccessEntryArgs { PrincipalArn = args.NodeRole.Arn, Type = AccessEntryType.EC2Linux },
            },
            EndpointPrivateAccess = true,
            EndpointPublicAccess = true,
            EnabledClusterLogTypes = { "api", "audit", "authenticator" },
            // Not here: pulumi-eks would create CoreDNS with the control plane, before any node, and wait for a Deployment
            // that cannot schedule (pulumi/pulumi-eks#1819, #1525). It is its own addon below, after the system nodes.
            CorednsAddonOptions = new CoreDnsAddonOptionsArgs { Enabled = false },
            KubeProxyAddonOptions = new KubeProxyAddonOptionsArgs { Enabled = true },
            VpcCniOptions = new VpcCniOptionsArgs { EnablePrefixDelegation = true },
            NodeSecurityGroupTags = discovery,
            Tags = tags,
        }, new ComponentResourceOptions { Parent = this, DependsOn = [.. stages.DependenciesOf(Stage.ControlPlane)] });
        stages.Add(Stage.ControlPlane, cluster);

        // Everything below needs the control plane; the name is known up front, the dependency comes from the kubeconfig.
        var clusterName = cluster.KubeconfigJson.Apply(_ => settings.ClusterName);

        var systemNodes = new ManagedNodeGroup($"{name}-system", new ManagedNodeGroupArgs
        {
            Cluster = cluster,
            NodeGroupName = $"{settings.ClusterName}-system",
            NodeRole = args.NodeRole,
            InstanceTypes = { settings.SystemNodes.InstanceType },
            ScalingConfig = new NodeGroupScalingConfigArgs
            {
                MinSize = settings.SystemNodes.MinSize,
                DesiredSize = settings.SystemNodes.DesiredSize,
                MaxSize = settings.SystemNodes.MaxSize,
            },
            DiskSize = settings.SystemNodes.DiskSizeGiB,
            SubnetIds = args.PrivateSubnetIds,
            Labels = { { SystemNodes.LabelKey, SystemNodes.LabelValue } },
            OperatingSystem = Pulumi.Eks.OperatingSystem.AL2023,
            EnableIMDSv2 = true,
            Tags = tags,
        }, new ComponentResourceOptions { Parent = this, DependsOn = [.. stages.DependenciesOf(Stage.SystemNodes)] });
        stages.Add(Stage.SystemNodes, systemNodes);

        var podIdentityAgent = new Addon($"{name}-eks-pod-identity-agent", new AddonArgs
        {
            ClusterName = clusterName,
            AddonName = "eks-pod-identity-agent",
            Tags = tags,
        }, After(Stage.PodIdentityAgent));
        stages.Add(Stage.PodIdentityAgent, podIdentityAgent);

        // EKS bootstraps a self-managed CoreDNS with the cluster; the addon takes it over once nodes can run it.
        var coreDns = new Addon($"{name}-coredns", new AddonArgs
        {
            ClusterName = clusterName,
            AddonName = "coredns",
            ResolveConflictsOnCreate = "OVERWRITE",
            ResolveConflictsOnUpdate = "OVERWRITE",
            Tags = tags,
        }, After(Stage.CoreDns));
        stages.Add(Stage.CoreDns, coreDns);

        var ebsCsiDriver = new Addon($"{name}-aws-ebs-csi-driver", new AddonArgs
        {
            ClusterName = clusterName,
            AddonName = "aws-ebs-csi-driver",
            PodIdentityAssociations = { new AddonPodIdentityAssociationArgs { RoleArn = args.EbsCsiDriverRoleArn, ServiceAccount = "ebs-csi-controller-sa" } },
            Tags = tags,
        }, After(Stage.EbsCsiDriver));
        stages.Add(Stage.EbsCsiDriver, ebsCsiDriver);
        var autoscalerIdentity = new PodIdentityAssociation($"{name}-autoscaler", new PodIdentityAssociationArgs
        {
            ClusterName = clusterName,
            Namespace = AutoscalerManifests.Namespace,
            ServiceAccount = AutoscalerManifests.Name,
            RoleArn = args.AutoscalerRoleArn,
            Tags = tags,
        }, After(Stage.AutoscalerIdentity));
        stages.Add(Stage.AutoscalerIdentity, autoscalerIdentity);

        // Read back through DescribeCluster rather than Pulumi.Eks's EksCluster output: that output is a reference to a
        // child of a remote component, which the SDK rehydrates by URN and Pulumi's mock tests cannot.
        var described = GetCluster.Invoke(new GetClusterInvokeArgs { Name = clusterName });

        // Nodes the autoscaler launches join the EKS-managed cluster security group too; it finds it by this tag.
        var clusterSecurityGroupId = described.Apply(c => c.VpcConfig.ClusterSecurityGroupId);
        var securityGroupTag = new Pulumi.Aws.Ec2.Tag($"{name}-cluster-sg-discovery", new Pulumi.Aws.Ec2.TagArgs
        {
            ResourceId = clusterSecurityGroupId,
            Key = WellKnownTags.Discovery,
            Value = settings.ClusterName,
        }, After(Stage.ClusterSecurityGroupTag));
        stages.Add(Stage.ClusterSecurityGroupTag, securityGroupTag);

        ClusterName = clusterName;
        Kubeconfig = Output.CreateSecret(cluster.KubeconfigJson);
        OidcProviderArn = cluster.OidcProviderArn;
        Endpoint = described.Apply(c => c.Endpoint);
        // Empty when EKS reports no IPv4 service range; the autoscaler's ConfigMap refuses that rather than guess.
        ServiceCidr = described.Apply(c => c.KubernetesNetworkConfigs.Select(n => n.ServiceIpv4Cidr).FirstOrDefault(cidr => !string.IsNullOrEmpty(cidr)) ?? "");
        RegisterOutputs(new Dictionary<string, object?>
        {
            ["clusterName"] = ClusterName,
            ["kubeconfig"] = Kubeconfig,
            ["oidcProviderArn"] = OidcProviderArn,
            ["endpoint"] = Endpoint,
            ["serviceCidr"] = ServiceCidr,
        });
    }

    [Output("clusterName")]
    public Output<string> ClusterName { get; private set; }

    /// <summary>The kubeconfig (secret), from which the Kubernetes provider is made.</summary>
    [Output("kubeconfig")]
    public Output<string> Kubeconfig { get; private set; }

    [Output("oidcProviderArn")]
    public Output<string> OidcProviderArn { get; private set; }

    /// <summary>The API server's https URL, which new nodes join through.</summary>
    [Output("endpoint")]
    public Output<string> Endpoint { get; private set; }

    /// <summary>The IPv4 range EKS chose for Services (10.100.0.0/16 or 172.20.0.0/16, by VPC), from which nodes derive cluster DNS.</summary>
    [Output("serviceCidr")]
    public Output<string> ServiceCidr { get; private set; }
}
