using Amazon.EC2;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Aws.Catalog;
using Platform.Autoscaler.Aws.Ec2;
using Platform.Autoscaler.Aws.Interruption;
using Platform.Autoscaler.Aws.LaunchTemplates;
using Platform.Autoscaler.Aws.NodeClasses;
using Platform.Autoscaler.Aws.Tests.Interruption;
using Platform.Autoscaler.Aws.Tests.TestKit;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Launch;
using Platform.Autoscaler.Core.Ports;
using Platform.Autoscaler.Core.Scheduling;
using Platform.Infra.Blueprint.Iam;
using Platform.Tests.Shared;

namespace Platform.Autoscaler.Aws.Tests.IamContract;

/// <summary>
/// Runs every AWS call path of the autoscaler once against moto, through the recording proxy, as the service would
/// for one cluster: the catalog read, node classes with every kind of selector term, launch templates for spot and
/// on-demand, spot and on-demand launches (and a spot launch refused for want of the Spot service-linked role, which
/// must fall back to on-demand), listing, termination, template cleanup, and the interruption queue. The same
/// cluster's policy is the one the blueprint writes.
/// </summary>
public sealed class ContractScenario : IAsyncLifetime
{
    /// <summary>The cluster of the scenario and of the policy.</summary>
    public const string Cluster = "gpu-contract";

    /// <summary>moto's account.</summary>
    public const string Account = "123456789012";

    private const string Region = "us-east-1";
    private const string QueueName = "gpu-contract-interruptions";

    // An AWS public parameter, as an ssmParameter term would name one.
    private const string PublicAmiParameter = "/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/image_id";

    private MotoServer? moto;

    /// <summary>What the autoscaler sent, and the authorizations for it.</summary>
    public ContractRecorder? Recorder { get; private set; }

    /// <summary>The policy document the blueprint writes for <see cref="Cluster"/>, as IAM receives it.</summary>
    public string PolicyJson { get; private set; } = "";

    /// <summary>Instances the scenario launched, by capacity type, with the capacity type each came up as.</summary>
    public IReadOnlyList<CloudInstance> Launched { get; private set; } = [];

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        if (MotoServer.Executable() is null)
        {
            return; // the tests are skipped with the reason (MotoFact)
        }

        moto = new MotoServer();
        using var setupEc2 = moto.Ec2();
        using var setupSqs = moto.Sqs();
        var network = await MotoNodeClass.PrepareAsync(moto);
        var queueUrl = (await setupSqs.CreateQueueAsync(new CreateQueueRequest { QueueName = QueueName })).QueueUrl;
        await setupSqs.SendMessageAsync(new SendMessageRequest { QueueUrl = queueUrl, MessageBody = "not an event" });
        await setupSqs.SendMessageAsync(new SendMessageRequest { QueueUrl = queueUrl, MessageBody = InterruptionParserTests.SpotWarning });
        var imageName = (await setupEc2.DescribeImagesAsync(new Amazon.EC2.Model.DescribeImagesRequest { ImageIds = [network.Image] })).Images![0].Name;

        var roleName = IamPolicies.NodeRoleName(Cluster);
        PolicyJson = IamPolicies.AutoscalerPolicy(new AutoscalerPolicyScope("aws", Region, Account, Cluster,
            $"arn:aws:sqs:{Region}:{Account}:{QueueName}", $"arn:aws:iam::{Account}:role/{roleName}")).ToJson();
        Recorder = new ContractRecorder(new IamRequestModel(new MotoFacts(setupEc2), "aws", Account,
            profile => $"arn:aws:iam::{Account}:role/{profile}"));

        using var proxy = new FaultProxy(moto.Endpoint);
        Recorder.Attach(proxy);
        var ssmParameters = new Dictionary<string, string>(MotoNodeClass.AliasParameters) { [PublicAmiParameter] = network.Image };
        proxy.Faults["AmazonSSM.GetParameter"] = body => MotoNodeClass.GetParameterAnswer(body, ssmParameters);
        var credentials = new BasicAWSCredentials("test", "test");
        using var ec2 = new AmazonEC2Client(credentials, new AmazonEC2Config { ServiceURL = proxy.Endpoint, AuthenticationRegion = Region });
        using var ssm = MotoServer.Ssm(proxy.Endpoint);
        using var sqs = new AmazonSQSClient(credentials, new AmazonSQSConfig { ServiceURL = proxy.Endpoint, AuthenticationRegion = Region });

        // The catalog, as the service refreshes it hourly.
        var prices = new Dictionary<string, double> { ["m5.large"] = 0.096, ["g5.xlarge"] = 1.006 };
        var catalog = await new Ec2CatalogReader(ec2).ReadAsync(Region, prices, "contract", new DateTime(2026, 11, 23, 0, 0, 0, DateTimeKind.Utc), CancellationToken.None);

        // Node classes with every kind of selector term.
        var discovery = new Dictionary<string, string> { ["karpenter.sh/discovery"] = network.Tag };
        EC2NodeClass Class(string name, params AmiSelectorTerm[] amis) => new()
        {
            Metadata = new V1ObjectMeta { Name = name, Generation = 1, Uid = name },
            Spec = new EC2NodeClassSpec
            {
                Role = roleName,
                AmiFamily = amis.Any(a => a.Alias is not null) ? null : "AL2023",
                AmiSelectorTerms = amis,
                SubnetSelectorTerms = [new SubnetSelectorTerm { Tags = discovery }, new SubnetSelectorTerm { Id = network.SubnetA }],
                SecurityGroupSelectorTerms =
                [
                    new SecurityGroupSelectorTerm { Tags = discovery }, new SecurityGroupSelectorTerm { Id = network.Group },
                    new SecurityGroupSelectorTerm { Name = $"nodes-{network.Tag}" },
                ],
                Tags = new Dictionary<string, string> { ["team"] = "ml" },
                AssociatePublicIPAddress = false,
                Context = null,
            },
        };
        var general = Class("general", new AmiSelectorTerm { Id = network.Image }, new AmiSelectorTerm { Name = imageName },
            new AmiSelectorTerm { SsmParameter = PublicAmiParameter }, new AmiSelectorTerm { Tags = new Dictionary<string, string> { ["team"] = "*" } });
        var aliased = Class("aliased", new AmiSelectorTerm { Alias = "al2023@latest" });
        var classes = new Dictionary<string, EC2NodeClass>(StringComparer.Ordinal) { ["general"] = general, ["aliased"] = aliased };
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var templates = new LaunchTemplateManager(ec2, new ClusterInfo(Cluster, "https://api.example", "Q0E=", "10.100.0.0/16"));
        var resolver = new LaunchSettingsResolver((name, _) => Task.FromResult(classes.GetValueOrDefault(name)),
            new Ec2NodeClassResolver(ec2, ssm, "1.33"), templates, _ => Task.FromResult(catalog), time);
        await resolver.ResolveAsync(aliased, CancellationToken.None);

        // Launches: spot, on-demand, and spot in an account without the Spot service-linked role (falls back).
        var cloud = new Ec2CloudProvider(ec2, Cluster, resolver.LaunchSettingsAsync, _ => Task.FromResult(catalog));
        var launched = new List<CloudInstance>();
        IReadOnlyList<LaunchOption> options = [new("m5.large", "us-east-1a", "spot", 0.04), new("m5.large", "us-east-1a", "on-demand", 0.096)];
        launched.Add(await LaunchPlan.LaunchAsync(cloud, "general-spot", "default", options, "general", new UnavailableOfferings(), time.GetUtcNow, null, CancellationToken.None));
        launched.Add(await cloud.CreateAsync(new LaunchAttempt("general-od", "default", "general", "on-demand", [new("m5.large", "us-east-1b", "on-demand", 0.096)]), CancellationToken.None));
        proxy.Faults["CreateFleet"] = body => body.Contains("DefaultTargetCapacityType=spot", StringComparison.Ordinal) ? (200, SpotRoleMissing) : null;
        launched.Add(await LaunchPlan.LaunchAsync(cloud, "general-fallback", "default", options, "general", new UnavailableOfferings(), time.GetUtcNow, null, CancellationToken.None));
        proxy.Faults.Remove("CreateFleet");
        Launched = launched;

        _ = await cloud.ListAsync(CancellationToken.None);
        _ = await cloud.GetAsync(launched[0].ProviderId, CancellationToken.None);
        foreach (var instance in launched)
        {
            await cloud.DeleteAsync(instance.ProviderId, CancellationToken.None);
        }

        // Templates no class uses any more are deleted once no launch ensured them in the last ten minutes.
        time.Advance(TimeSpan.FromMinutes(11));
        _ = await resolver.DeleteUnusedAsync([aliased], CancellationToken.None);

        // The interruption queue, named as the stack configures it.
        var queue = new InterruptionQueue(sqs, await InterruptionQueue.UrlAsync(sqs, QueueName, CancellationToken.None));
        var batch = await queue.ReceiveAsync(TimeSpan.Zero, CancellationToken.None);
        foreach (var (_, receipt) in batch.Messages)
        {
            await queue.AcknowledgeAsync(receipt, CancellationToken.None);
        }
    }

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        moto?.Dispose();
        return Task.CompletedTask;
    }

    private const string SpotRoleMissing = """
        <CreateFleetResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-slr</requestId><fleetId>fleet-00000000-0000-0000-0000-00000000051a</fleetId>
        <errorSet><item><lifecycle>spot</lifecycle><errorCode>AuthFailure.ServiceLinkedRoleCreationNotPermitted</errorCode>
        <errorMessage>The provided credentials do not have permission to create the service-linked role for EC2 Spot Instances.</errorMessage></item></errorSet>
        <fleetInstanceSet/></CreateFleetResponse>
        """;
}
