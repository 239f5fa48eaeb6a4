using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Models;
using Platform.Autoscaler.Api;
using Platform.Autoscaler.Tests.Kubernetes;
using Platform.Infra.Blueprint.Autoscaler;
using Platform.Infra.Blueprint.GpuSharing;
using Platform.Infra.Blueprint.Rendering;
using Platform.Infra.Blueprint.Settings;
using Platform.Tests.Shared;
using StackQueue = Platform.Infra.Blueprint.Interruption.InterruptionQueue;

namespace Platform.Autoscaler.Tests.RealApiServer.Host;

/// <summary>
/// The service as the stack deploys it, on this machine: a real API server with the generated CRDs and the
/// autoscaler's namespace, ServiceAccount, ClusterRole, Role and bindings from the blueprint (the objects
/// <c>pulumi up</c> applies); moto_server with a discovery-tagged network and the interruption queue; an EC2NodeClass
/// and a NodePool applied with <c>kubectl</c>; the rest of the cluster played by <see cref="ClusterStandIn"/>. Each
/// <see cref="StartService"/> runs the real <c>platform-autoscaler run</c> binary, configured from the Deployment's own
/// environment, authenticating with a token of its ServiceAccount, and reaching the API server and moto through
/// <see cref="ProcessProxy"/>s of its own that kill it where the <see cref="CrashPlan"/> says.
/// </summary>
internal sealed class RealHostWorld : IAsyncDisposable
{
    /// <summary>How long a NodePool waits before consolidating an empty node.</summary>
    public static readonly TimeSpan ConsolidateAfter = TimeSpan.FromSeconds(10);

    /// <summary>Who the service is to the API server.</summary>
    public const string ServiceUser = $"system:serviceaccount:{AutoscalerManifests.Namespace}:{AutoscalerManifests.Name}";

    // moto's catalog answers take seconds to build and never change: each is asked once, then replayed to later processes.
    private static readonly HashSet<string> CatalogActions = new(StringComparer.Ordinal) { "DescribeInstanceTypes", "DescribeInstanceTypeOfferings", "DescribeSpotPriceHistory" };

    private readonly ConcurrentDictionary<string, CannedAnswer> catalogAnswers = new(StringComparer.Ordinal);
    private readonly List<(ServiceProcess Process, ProcessProxy Kube, ProcessProxy Aws)> services = [];
    private readonly string folder = Directory.CreateTempSubdirectory("real-host-").FullName;
    private readonly X509Certificate2 ca;
    private Amazon.EC2.AmazonEC2Client? ec2;
    private string token = "";

    private RealHostWorld(KubeApiServer server, MotoServer moto, StackSettings settings, CrashPlan plan)
    {
        Server = server;
        Moto = moto;
        Settings = settings;
        Plan = plan;
        Manifests = AutoscalerManifests.Create(settings);
        ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(server.WorkDir, "pki", "ca.crt"));
    }

    public KubeApiServer Server { get; }

    public MotoServer Moto { get; }

    /// <summary>The production stack's settings (Pulumi.prod.yaml): cluster name, region, the autoscaler's objects.</summary>
    public StackSettings Settings { get; }

    /// <summary>The autoscaler's objects as the stack deploys them.</summary>
    public AutoscalerObjects Manifests { get; }

    /// <summary>Where the processes die; an empty plan only records the steps.</summary>
    public CrashPlan Plan { get; }

    /// <summary>The test's namespace, where its pods are.</summary>
    public string PodNamespace { get; private set; } = "";

    public ClusterStandIn Cluster { get; private set; } = null!;

    /// <summary>Every process started so far, the last one running.</summary>
    public IReadOnlyList<ServiceProcess> Processes
    {
        get
        {
            lock (services)
            {
                return [.. services.Select(s => s.Process)];
            }
        }
    }

    /// <summary>Sets the world up; about 15 s.</summary>
    public static async Task<RealHostWorld> StartAsync(string test, CrashPlan plan)
    {
        // Both take seconds to start: side by side.
        var starting = Task.Run(() => new MotoServer());
        var server = new KubeApiServer(controllerManager: true);
        MotoServer moto;
        try
        {
            moto = await starting;
        }
        catch
        {
            server.Dispose();
            throw;
        }

        var world = new RealHostWorld(server, moto, DeployedStack.Settings(), plan);
        try
        {
            await world.SetUpAsync(test);
            return world;
        }
        catch
        {
            await world.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts <c>platform-autoscaler run</c> as the pod <paramref name="podName"/> of the stack's Deployment: the
    /// container's environment as the Deployment sets it (its ConfigMap and downward API values filled in), and what
    /// running outside the cluster needs (a kubeconfig with the ServiceAccount's token, the cluster CA, moto's endpoint,
    /// the listen address and ports).
    /// </summary>
    public ServiceProcess StartService(string podName)
    {
        var process = new ServiceProcess(podName);
        var kube = new ProcessProxy(Server.Client.BaseUri.ToString(), TrustingCa(), process, (r, status) => Plan.KillAfter(process, r, status));
        var aws = new ProcessProxy(Moto.Endpoint, new HttpClientHandler(), process, (r, status) => Plan.KillAfter(process, r, status),
            canned: r => r.AwsAction is { } action && CatalogActions.Contains(action) ? catalogAnswers.GetValueOrDefault(CatalogKey(r)) : null,
            answered: (r, answer) =>
            {
                if (r.AwsAction is { } action && CatalogActions.Contains(action) && answer.Status == 200)
                {
                    catalogAnswers.TryAdd(CatalogKey(r), answer);
                }
            });
        int generation;
        lock (services)
        {
            services.Add((process, kube, aws));
            generation = services.Count;
        }

        var kubeconfig = Path.Combine(folder, $"kubeconfig-{generation}");
        File.WriteAllText(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: cluster
              cluster: {"{"}server: "{kube.Url}"{"}"}
            users:
            - name: {AutoscalerManifests.Name}
              user: {"{"}token: "{token}"{"}"}
            contexts:
            - name: cluster
              context: {"{"}cluster: cluster, user: {AutoscalerManifests.Name}{"}"}
            current-context: cluster
            """);
        var environment = DeploymentEnvironment(podName);
        environment["KUBECONFIG"] = kubeconfig;
        environment["CLUSTER_CA_FILE"] = Path.Combine(Server.WorkDir, "pki", "ca.crt");
        environment["AWS_ENDPOINT_URL"] = aws.Url;
        environment["AWS_ACCESS_KEY_ID"] = "test";
        environment["AWS_SECRET_ACCESS_KEY"] = "test";
        environment["AWS_EC2_METADATA_DISABLED"] = "true";
        environment["BIND_ADDRESS"] = "127.0.0.1";
        environment["METRICS_PORT"] = Loopback.FreePort().ToString(CultureInfo.InvariantCulture);
        environment["HEALTH_PROBE_PORT"] = Loopback.FreePort().ToString(CultureInfo.InvariantCulture);
        MetricsUrl = $"http://127.0.0.1:{environment["METRICS_PORT"]}/metrics";
        ReadyzUrl = $"http://127.0.0.1:{environment["HEALTH_PROBE_PORT"]}/readyz";
        process.Start(environment);
        return process;
    }

    /// <summary>
    /// Starts a process in place of each one the plan kills, as the Deployment's pod restarts: the next process is named
    /// by <paramref name="podName"/> from its number (2, 3, ...), the same name for a container restarted in its pod
    /// (it takes the Lease back at once), a new one for a replacement pod (it waits until the dead one's Lease expires).
    /// </summary>
    public IAsyncDisposable RestartWhenKilled(Func<int, string> podName) => new BackgroundLoop(async stop =>
    {
        while (!stop.IsCancellationRequested)
        {
            if (Processes is [.., { WasKilled: true }] all)
            {
                StartService(podName(all.Count + 1));
            }

            await Task.Delay(100, stop);
        }
    });

    /// <summary>The last started process's /metrics.</summary>
    public string MetricsUrl { get; private set; } = "";

    /// <summary>The last started process's /readyz.</summary>
    public string ReadyzUrl { get; private set; } = "";

    /// <summary>A pending pod (1 CPU, 2 GiB) in the test's namespace.</summary>
    public Task CreatePodAsync(string name) => RealCluster.CreatePendingPodAsync(Server.Client, PodNamespace, name);

    /// <summary>What the service's own user sent, as the API server's audit log recorded it.</summary>
    public IReadOnlyList<AuditEntry> ServiceRequests() => AuditLog.Read(Path.Combine(Server.WorkDir, "logs", "audit.log"), ServiceUser);

    /// <summary>How many NodeClaims (not being deleted) and how many running instances may exist at one time.</summary>
    public int MostAtOnce { get; set; } = 1;

    /// <summary>
    /// Polls <paramref name="probe"/> twice a second until it gives a value; fails after <paramref name="timeout"/>
    /// (90 s by default) with <paramref name="what"/> and <see cref="Describe"/>, and at once when more than
    /// <see cref="MostAtOnce"/> NodeClaims or instances were alive at one time, or the running process ended without
    /// being killed.
    /// </summary>
    public async Task<T> UntilAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null)
        where T : class
    {
        var deadline = TimeProvider.System.GetUtcNow() + (timeout ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (Cluster.MostLiveNodeClaims > MostAtOnce || Cluster.MostLiveInstances > MostAtOnce)
            {
                Assert.Fail($"{Cluster.MostLiveNodeClaims} NodeClaims and {Cluster.MostLiveInstances} instances were alive at once (at most {MostAtOnce} may be) while waiting for {what}\n{Describe()}");
            }

            if (Processes.LastOrDefault() is { HasExited: true, WasKilled: false } ended)
            {
                Assert.Fail($"{ended.Name} exited by itself ({ended.ExitCode}) while waiting for {what}\n{Describe()}");
            }

            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                Assert.Fail($"waited {(timeout ?? TimeSpan.FromSeconds(90)).TotalSeconds} s for {what}\n{Describe()}");
            }

            await Task.Delay(500);
        }
    }

    /// <summary><see cref="UntilAsync{T}"/> for a condition.</summary>
    public Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(async () => await condition() ? "" : null, what, timeout);

    /// <summary>Everything a failure message needs: the stand-in's log and each process's last lines.</summary>
    public string Describe() =>
        $"requests of the service the API server refused: {string.Join("; ", ServiceRequests().Where(r => r.Code is 401 or 403).Select(r => r.ToString()).Distinct().DefaultIfEmpty("none"))}\n"
        + $"cluster stand-in:\n{Cluster.Log}\n"
        + string.Join("\n", Processes.Select((p, i) => $"--- process {i + 1} ({p.Name}, {(p.WasKilled ? "killed" : p.HasExited ? $"exited {p.ExitCode}" : "running")}):\n{p.Tail()}"));

    public async ValueTask DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        lock (services)
        {
            foreach (var (process, kube, aws) in services)
            {
                process.Dispose();
                kube.Dispose();
                aws.Dispose();
            }
        }

        ec2?.Dispose();
        Moto.Dispose();
        Server.Dispose();
        ca.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    private async Task SetUpAsync(string test)
    {
        var client = Server.Client;
        await RealCluster.InstallCrdsAsync(client);

        // What the stack applies for the autoscaler but its workload (the test runs the binary itself): its namespace,
        // ServiceAccount and every RBAC object, with kubectl apply. The GPU Operator's namespace, where a Role of the
        // autoscaler's goes too, is made as its Helm release would make it.
        string[] identity = ["Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"];
        var objects = Manifests.Models.Where(m => identity.Contains(m.Kind)).ToList();
        foreach (var ns in objects.Select(o => o.Metadata.NamespaceProperty).OfType<string>().Distinct().Where(n => n != AutoscalerManifests.Namespace))
        {
            await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        }

        // The GPU Operator's MIG and device plugin ConfigMaps, which its release makes from the stack's GPU sharing plan
        // and the service reads (without them every NodePool is unusable: its device plugin config is not defined).
        var (applied, said) = Server.Kubectl(
            YamlDocuments.Join(objects.Select(o => KubernetesYaml.Serialize(o)).Concat(GpuSharingPlan.For(Settings).ConfigMaps().Select(m => KubernetesYaml.Serialize(m)))),
            "apply", "-f", "-");
        if (applied != 0)
        {
            throw new InvalidOperationException($"kubectl apply of the autoscaler's RBAC and the GPU Operator's ConfigMaps failed: {said}");
        }
        // A token of the ServiceAccount, as the kubelet mounts one into the pod (the TokenRequest API).
        var request = await client.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { ExpirationSeconds = 3600 } }, AutoscalerManifests.Name, AutoscalerManifests.Namespace);
        token = request.Status.Token;

        var (tag, _, _, _, image) = await MotoNodeClass.PrepareAsync(Moto);
        using (var sqs = Moto.Sqs())
        {
            await sqs.CreateQueueAsync(StackQueue.QueueName(Settings.ClusterName));
        }

        var manifests = $$$"""
            apiVersion: karpenter.k8s.aws/v1
            kind: EC2NodeClass
            metadata: {name: default}
            spec:
              role: node-role
              amiFamily: AL2023
              amiSelectorTerms: [{id: {{{image}}}}]
              subnetSelectorTerms: [{tags: {karpenter.sh/discovery: {{{tag}}}}}]
              securityGroupSelectorTerms: [{tags: {karpenter.sh/discovery: {{{tag}}}}}]
            ---
            apiVersion: karpenter.sh/v1
            kind: NodePool
            metadata: {name: default}
            spec:
              disruption:
                consolidationPolicy: WhenEmptyOrUnderutilized
                consolidateAfter: {{{(int)ConsolidateAfter.TotalSeconds}}}s
              template:
                spec:
                  nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
                  requirements:
                  - {key: node.kubernetes.io/instance-type, operator: In, values: [m5.large]}
                  - {key: karpenter.sh/capacity-type, operator: In, values: [on-demand]}
            """;
        var (exit, output) = Server.Kubectl(manifests, "apply", "-f", "-");
        if (exit != 0)
        {
            throw new InvalidOperationException($"kubectl apply of the EC2NodeClass and NodePool failed: {output}");
        }

        PodNamespace = await Server.CreateNamespaceAsync(test);
        ec2 = Moto.Ec2();
        Cluster = new ClusterStandIn(client, ec2, Settings.ClusterName, PodNamespace);
    }

    /// <summary>The Deployment's container environment, with the values a pod would get from its ConfigMap and the downward API.</summary>
    private Dictionary<string, string> DeploymentEnvironment(string podName)
    {
        var config = ClusterConfig.Data(Server.Client.BaseUri.ToString().TrimEnd('/'), "10.0.0.0/24");
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in Manifests.Deployment.Spec.Template.Spec.Containers.Single().Env)
        {
            environment[variable.Name] = variable switch
            {
                { Value: { } value } => value,
                { ValueFrom.FieldRef.FieldPath: "metadata.namespace" } => AutoscalerManifests.Namespace,
                { ValueFrom.FieldRef.FieldPath: "metadata.name" } => podName,
                { ValueFrom.ConfigMapKeyRef: { Name: ClusterConfig.Name, Key: var key } } => config[key],
                _ => throw new InvalidOperationException($"the Deployment's {variable.Name} comes from a source this test does not fill in"),
            };
        }

        return environment;
    }

    private SocketsHttpHandler TrustingCa() => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                if (certificate is null)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                var served = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                return chain.Build(served);
            },
        },
    };

    /// <summary>The request body without its time window, which moves with the clock and changes nothing moto answers.</summary>
    private static string CatalogKey(ProxiedRequest request) =>
        string.Join("&", request.Body.Split('&').Where(p => !p.StartsWith("StartTime=", StringComparison.Ordinal) && !p.StartsWith("EndTime=", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
}
