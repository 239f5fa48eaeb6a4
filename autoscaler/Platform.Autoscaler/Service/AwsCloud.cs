using System.Text;
using Amazon;
using Amazon.EC2;
using Amazon.SimpleSystemsManagement;
using Amazon.SQS;
using Microsoft.Extensions.Logging;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Aws.Catalog;
using Platform.Autoscaler.Aws.Ec2;
using Platform.Autoscaler.Aws.Interruption;
using Platform.Autoscaler.Aws.LaunchTemplates;
using Platform.Autoscaler.Aws.NodeClasses;
using Platform.Autoscaler.Aws.Resilience;
using Platform.Autoscaler.Controllers;
using Platform.Autoscaler.Core.Catalog;
using Platform.Autoscaler.Core.Ports;

namespace Platform.Autoscaler.Service;

/// <summary>How the AWS clients authenticate: the SDK's default chain (pod identity, environment) unless credentials are given.</summary>
internal sealed record AwsAccess(Amazon.Runtime.AWSCredentials? Credentials);

/// <summary>
/// The AWS side of the service, wired from the settings: the EC2 cloud port (catalog from EC2 refreshed hourly,
/// node classes resolved into launch templates, CreateFleet launches) and the SQS interruption source.
/// </summary>
internal sealed class AwsCloud : IDisposable
{
    private static readonly TimeSpan CatalogTtl = TimeSpan.FromHours(1);
    private readonly List<IDisposable> clients = [];
    private Diagnostics.AwsCallMonitor? monitor;

    private AwsCloud()
    {
    }

    /// <summary>The cloud port.</summary>
    public ICloudProvider Cloud { get; private set; } = null!;

    /// <summary>The node class resolver behind the status controller and launch template cleanup.</summary>
    public INodeClassProvider NodeClasses { get; private set; } = null!;

    /// <summary>The interruption source; null when no queue is configured.</summary>
    public IInterruptionSource? Interruptions { get; private set; }

    /// <summary>
    /// Builds the clients and ports. <paramref name="nodeClass"/> finds an EC2NodeClass by name (the cluster cache);
    /// <paramref name="kubernetesVersion"/> picks the AMI alias parameters.
    /// </summary>
    public static async Task<AwsCloud> CreateAsync(
        RunSettings settings, AwsAccess access, Func<string, EC2NodeClass?> nodeClass, string kubernetesVersion, TimeProvider time, ILogger logger,
        Diagnostics.AwsCallMonitor monitor, CancellationToken cancellationToken)
    {
        var aws = new AwsCloud { monitor = monitor };
        var retry = AwsRetry.Create(time);
        var ec2 = aws.Track(new AmazonEC2Client(Configure(new AmazonEC2Config(), settings, access)));
        var ssm = aws.Track(new AmazonSimpleSystemsManagementClient(Configure(new AmazonSimpleSystemsManagementConfig(), settings, access)));
        var (prices, priceSource) = await PricesAsync(settings, logger, cancellationToken).ConfigureAwait(false);
        var catalog = new RefreshingCatalog(new Ec2CatalogReader(ec2), settings.Region, prices, priceSource, time, CatalogTtl,
            e => logger.LogWarning(Diagnostics.ErrorText.StackUnlessExternal(e), "Catalog refresh from EC2 failed; keeping the catalog read before: {Error}", Diagnostics.ErrorText.Describe(e)));
        var ca = Convert.ToBase64String(Encoding.UTF8.GetBytes(await File.ReadAllTextAsync(settings.ClusterCaFile, cancellationToken).ConfigureAwait(false)));
        var templates = new LaunchTemplateManager(ec2, new ClusterInfo(settings.ClusterName, settings.ClusterEndpoint, ca, settings.ServiceCidr), retry);
        var launchSettings = new LaunchSettingsResolver(
            (name, _) => Task.FromResult(nodeClass(name)),
            new Ec2NodeClassResolver(ec2, ssm, kubernetesVersion, retry), templates, catalog.GetAsync, time);
        aws.NodeClasses = launchSettings;
        aws.Cloud = new Ec2CloudProvider(ec2, settings.ClusterName, launchSettings.LaunchSettingsAsync, catalog.GetAsync, retry);
        if (settings.InterruptionQueue is { Length: > 0 } queue)
        {
            var sqs = aws.Track(new AmazonSQSClient(Configure(new AmazonSQSConfig(), settings, access)));
            var url = await InterruptionQueue.UrlAsync(sqs, queue, cancellationToken).ConfigureAwait(false);
            aws.Interruptions = new QueueInterruptionSource(new InterruptionQueue(sqs, url));
        }

        return aws;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    private T Track<T>(T client)
        where T : IDisposable
    {
        clients.Add(client);
        if (client is Amazon.Runtime.AmazonServiceClient service)
        {
            monitor?.Attach(service);
        }

        return client;
    }

    private static T Configure<T>(T config, RunSettings settings, AwsAccess access)
        where T : Amazon.Runtime.ClientConfig
    {
        // Null leaves the SDK's default chain (pod identity, environment).
        config.DefaultAWSCredentials = access.Credentials;
        if (settings.AwsEndpoint is { Length: > 0 } endpoint)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = settings.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(settings.Region);
        }

        return config;
    }

    private static async Task<(IReadOnlyDictionary<string, double> Prices, string Source)> PricesAsync(RunSettings settings, ILogger logger, CancellationToken cancellationToken)
    {
        if (settings.PricesFile is { Length: > 0 } file)
        {
            var text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
            return (OnDemandPrices.Parse(text, Path.GetFileName(file)), Path.GetFileName(file));
        }

        if (settings.Region != BundledCatalog.Region)
        {
            logger.LogWarning("No PRICES_FILE for {Region}: using the bundled {BundledRegion} on-demand prices, which rank types well but differ in level",
                settings.Region, BundledCatalog.Region);
        }

        var bundled = BundledCatalog.Load();
        var prices = bundled.InstanceTypes
            .Select(t => (t.Name, Price: t.Offerings.Where(o => o.CapacityType == WellKnownLabels.CapacityTypes.OnDemand).Select(o => o.Price).DefaultIfEmpty(0).Max()))
            .Where(p => p.Price > 0)
            .ToDictionary(p => p.Name, p => p.Price, StringComparer.Ordinal);
        return (prices, bundled.Source);
    }
}
