namespace Platform.Autoscaler.Tests.Cli;

/// <summary>
/// The CLI's readers and verbs under input a new user (or an attacker) could give: each problem is a message naming
/// the file, object and field, with exit 1 for bad content and 2 for a wrong invocation, never a stack trace.
/// </summary>
public sealed class HostileCliTests : IDisposable
{
    private const string Pool = """
        apiVersion: karpenter.sh/v1
        kind: NodePool
        metadata:
          name: cpu
        spec:
          template:
            spec:
              requirements:
                - key: karpenter.k8s.aws/instance-category
                  operator: In
                  values: ["m", "c"]
              nodeClassRef:
                group: karpenter.k8s.aws
                kind: EC2NodeClass
                name: default
        ---
        apiVersion: karpenter.k8s.aws/v1
        kind: EC2NodeClass
        metadata:
          name: default
        spec:
          role: node
          amiSelectorTerms:
            - alias: al2023@latest
          subnetSelectorTerms:
            - tags: { a: b }
          securityGroupSelectorTerms:
            - tags: { a: b }
        """;

    private readonly CliRunner cli = new();

    public void Dispose() => cli.Dispose();

    [Fact]
    public async Task Validate_Stdin_ReadsTheDashAsStandardInput()
    {
        using var input = new StringReader(Pool);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Platform.Autoscaler.Cli.CommandLine.RunAsync(["validate", "-"], output, error, CancellationToken.None, input: input);
        Assert.True(code == 0, error.ToString());
        Assert.Contains("<stdin>: NodePool/cpu: valid", output.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("1 file(s): 2 valid, 0 skipped, 0 error(s)\n", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("validate")]
    [InlineData("plan")]
    public async Task Verb_UnknownOption_ReportedAsAnOptionWithExit2(string verb)
    {
        var file = cli.Write("pools.yaml", Pool);
        var (code, _, error) = await cli.RunAsync(verb, "--bogus", file);
        Assert.Equal(2, code);
        Assert.StartsWith($"{verb}: unknown option --bogus", error, StringComparison.Ordinal);
        Assert.DoesNotContain("no such file", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("---\n---\n")]
    public async Task Validate_FileWithoutManifests_Exit2(string content)
    {
        var file = cli.Write("empty.yaml", content);
        var (code, _, error) = await cli.RunAsync("validate", file);
        Assert.Equal(2, code);
        Assert.Contains($"validate: no manifests in {file}", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_KubectlList_IsReadAsItsItems()
    {
        var items = string.Join("\n", Pool.Split("---\n").Select(d => "- " + d.TrimEnd().Replace("\n", "\n  ", StringComparison.Ordinal)));
        var pod = "- apiVersion: v1\n  kind: Pod\n  metadata: {name: web}\n  spec:\n    containers:\n    - name: web\n      image: nginx\n      resources: {requests: {cpu: \"1\", memory: 1Gi}}";
        var file = cli.Write("list.yaml", $"apiVersion: v1\nkind: List\nitems:\n{items}\n{pod}\n");
        var (code, output, error) = await cli.RunAsync("plan", file);
        Assert.True(code == 0, error);
        Assert.StartsWith("1 pending pod(s), 0 existing node(s), 1 NodePool(s)", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cpu: \"10000000000000000\"", "spec.containers[0].resources.requests[cpu]: quantity 10000000000000000 is out of range")]
    [InlineData("cpu: \"2000000000000\"", "spec.containers[0].resources.requests[cpu]: 2000000000000 is more than the autoscaler places on one node (at most 1125899906842 cores)")]
    [InlineData("cpu: \"-4\"", "spec.containers[0].resources.requests[cpu]: must not be negative, got -4")]
    [InlineData("memory: 1e29", "spec.containers[0].resources.requests[memory]: quantity 100e27 is out of range")]
    public async Task Plan_PodWithAmountsTheAutoscalerCannotUse_NamedAndSkipped_OthersPlanned(string request, string expected)
    {
        var pods = $"""
            apiVersion: v1
            kind: Pod
            metadata: {"{"}name: bad{"}"}
            spec:
              containers:
                - name: app
                  image: app
                  resources: {"{"}requests: {"{"}{request}{"}"}{"}"}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {"{"}name: good{"}"}
            spec:
              containers:
                - name: app
                  image: app
                  resources: {"{"}requests: {"{"}cpu: "1"{"}"}{"}"}
            """;
        var (code, output, error) = await cli.RunAsync("plan", cli.Write("pools.yaml", Pool), cli.Write("pods.yaml", pods));
        Assert.Equal(1, code);
        Assert.Contains($"pods.yaml: Pod/bad: {expected}", error, StringComparison.Ordinal);
        Assert.StartsWith("1 pending pod(s)", output, StringComparison.Ordinal);
        Assert.Contains("default/good", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("replicas: -5", "spec.replicas: must not be negative, got -5")]
    [InlineData("replicas: 99999999999", "spec.replicas: must be an integer from -2147483648 to 2147483647, got 99999999999")]
    [InlineData("replicas: 2147483647", "spec.replicas: 2147483647 is more than plan expands: at most 100000 pods per workload")]
    [InlineData("replicas: \"3\"", "spec.replicas: must be an integer from -2147483648 to 2147483647, got \"3\"")]
    [InlineData("replicas: 1\n  minReadySeconds: [1]", "spec.minReadySeconds: must be an integer from -2147483648 to 2147483647, got a list")]
    public async Task Plan_DeploymentWithABadField_ErrorNamesFileObjectAndField(string field, string expected)
    {
        var deployment = $"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels: {"{"}app: web{"}"}
            spec:
              {field}
              selector: {"{"}matchLabels: {"{"}app: web{"}"}{"}"}
              template:
                metadata: {"{"}labels: {"{"}app: web{"}"}{"}"}
                spec:
                  containers: [{"{"}name: web, image: nginx{"}"}]
            """;
        var (code, _, error) = await cli.RunAsync("plan", cli.Write("pools.yaml", Pool), cli.Write("web.yaml", deployment));
        Assert.Equal(1, code);
        Assert.Contains($"web.yaml: Deployment/web: {expected}", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_PodLabelsWithAListValue_ErrorNamesTheLabel()
    {
        var pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels:\n    team: [a, b]\nspec:\n  containers: [{name: web, image: nginx}]\n";
        var (code, _, error) = await cli.RunAsync("plan", cli.Write("pools.yaml", Pool), cli.Write("pod.yaml", pod));
        Assert.Equal(1, code);
        Assert.Contains("pod.yaml: Pod/web: metadata.labels[team]: must be a string, got a list", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crds_OutIsAnExistingFile_Exit2WithAMessage()
    {
        var file = cli.Write("crds.yaml", "x");
        var (code, _, error) = await cli.RunAsync("crds", "--out", file);
        Assert.Equal(2, code);
        Assert.Equal($"crds: --out {file}: is a file; name a folder (it is created if missing)\n", error);
    }

    [Fact]
    public async Task Catalog_GarbagePrices_OneErrorPerLineNamingFileAndLine_Exit1()
    {
        var prices = cli.Write("prices.csv", "instance_type,on_demand_usd_per_hour\nm5.large,NaN\nm5.xlarge,cheap\nc5.large,Infinity\n,0.1\nm5.large,0.096\nr5.large\n");
        var (code, _, error) = await cli.RunAsync("catalog", "--prices", prices, "--out", Path.Combine(cli.Folder, "c.json"), "--endpoint", "http://127.0.0.1:1");
        Assert.Equal(1, code);
        var lines = error.TrimEnd().Split('\n');
        Assert.Equal(5, lines.Length);
        Assert.All(lines, l => Assert.StartsWith("prices.csv:", l, StringComparison.Ordinal));
        Assert.StartsWith("prices.csv:2: the price \"NaN\" is not a number", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("prices.csv:5: the instance type is empty", lines[3], StringComparison.Ordinal);
        Assert.StartsWith("prices.csv:7: expected instance_type,on_demand_usd_per_hour", lines[4], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Catalog_RefusedEndpoint_OneLineNamingIt_Exit1()
    {
        var prices = cli.Write("prices.csv", "instance_type,on_demand_usd_per_hour\nm5.large,0.096\n");
        var endpoint = $"http://127.0.0.1:{Platform.Tests.Shared.Loopback.FreePort()}";
        var (code, _, error) = await cli.RunAsync("catalog", "--prices", prices, "--out", Path.Combine(cli.Folder, "c.json"), "--endpoint", endpoint);
        Assert.Equal(1, code);
        Assert.StartsWith($"catalog: cannot read EC2 at {endpoint}: ", error, StringComparison.Ordinal);
        Assert.Contains("Connection refused", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("""{"region":"x","source":"y","instanceTypes":[{"name":"a","architecture":"amd64","vCpus":2,"memoryMiB":4,"maxNetworkInterfaces":1,"ipv4PerInterface":2,"offerings":[{"zone":"z","capacityType":"spot","price":"0.5"}]}]}""", "my.json: instanceTypes[0].offerings[0].price: must be a number, got \"0.5\"")]
    [InlineData("""{"region":"x","source":"y","instanceTypes":[{"name":"a","architecture":"amd64","vCpus":"two","memoryMiB":4,"maxNetworkInterfaces":1,"ipv4PerInterface":2,"offerings":[]}]}""", "my.json: instanceTypes[0].vCpus: must be an integer")]
    [InlineData("{not json", "my.json: ")]
    public async Task Plan_BadCatalog_ErrorNamesFileAndField_Exit1(string json, string expected)
    {
        var catalog = cli.Write("my.json", json);
        var (code, _, error) = await cli.RunAsync("plan", "--catalog", catalog, cli.Write("pools.yaml", Pool));
        Assert.Equal(1, code);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BundledPriceTable_StillParses()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "data", "ec2-on-demand-prices-us-east-1.csv");
        var prices = Platform.Autoscaler.Aws.Catalog.OnDemandPrices.Parse(await File.ReadAllTextAsync(path), "bundled");
        Assert.True(prices.Count > 1000, $"{prices.Count} prices");
    }
}
