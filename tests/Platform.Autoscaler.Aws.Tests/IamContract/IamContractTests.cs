using System.Text.RegularExpressions;
using Amazon.EC2;
using Amazon.SimpleSystemsManagement;
using Amazon.SQS;
using Platform.Tests.Shared;

namespace Platform.Autoscaler.Aws.Tests.IamContract;

/// <summary>
/// The contract between the autoscaler and the IAM policy the stack gives it: every request the autoscaler sends in
/// <see cref="ContractScenario"/> is allowed by the blueprint's policy for the same cluster, the policy allows nothing
/// the autoscaler never does (unless listed below with why), and every AWS SDK call in the autoscaler's source is one
/// the scenario makes.
/// </summary>
public sealed partial class IamContractTests(ContractScenario scenario) : IClassFixture<ContractScenario>
{
    /// <summary>
    /// Grants (statement, action, resource pattern) the scenario cannot exercise, each with the reason it stays. Keep it
    /// short: an entry here is a permission no test proves necessary.
    /// </summary>
    private static readonly IReadOnlyDictionary<(string Sid, string Action, string Resource), string> Unexercised =
        new Dictionary<(string, string, string), string>();

    private ContractRecorder Recorder => scenario.Recorder ?? throw new InvalidOperationException("the scenario did not run");

    private IamPolicy Policy => IamPolicy.Parse(scenario.PolicyJson);

    [MotoFact]
    public void EveryRequestTheAutoscalerSends_IsAllowedByTheBlueprintsPolicy()
    {
        Assert.Empty(Recorder.Errors);
        var denied = Recorder.Authorizations
            .Select(a => (Request: a, Decision: PolicyEvaluator.Evaluate(Policy, a)))
            .Where(d => !d.Decision.Allowed)
            .Select(d => $"{d.Request}: {d.Decision.Explanation}")
            .Distinct(StringComparer.Ordinal)
            .ToList();
        Assert.True(denied.Count == 0, $"the policy denies {denied.Count} request(s) the autoscaler makes:\n{string.Join("\n", denied)}");
    }

    [MotoFact]
    public void EveryGrantOfThePolicy_IsUsedByTheAutoscalerOrListedWithAReason()
    {
        var policy = Policy;
        var authorizations = Recorder.Authorizations;
        var grants = policy.Statements.Where(s => s.Allow)
            .SelectMany(s => (s.Actions ?? []).SelectMany(a => (s.Resources ?? []).Select(r => (Statement: s, Action: a, Resource: r))))
            .ToList();
        var unused = grants
            .Where(g => !authorizations.Any(a => Glob.Matches(g.Action, a.Action, ignoreCase: true) && Glob.Matches(g.Resource, a.Resource, ignoreCase: false)
                && g.Statement.FailingConditions(a).Count == 0))
            .Select(g => (g.Statement.Sid, g.Action, g.Resource))
            .ToList();

        var unexplained = unused.Where(u => !Unexercised.ContainsKey(u)).Select(u => $"{u.Sid}: {u.Action} on {u.Resource}").ToList();
        Assert.True(unexplained.Count == 0,
            $"the policy grants what the autoscaler never does (remove it, or list it in {nameof(Unexercised)} with why):\n{string.Join("\n", unexplained)}");
        var stale = Unexercised.Keys.Where(k => !unused.Contains(k)).ToList();
        Assert.True(stale.Count == 0, $"listed as unexercised but now used or gone: {string.Join(", ", stale)}");
    }

    [MotoFact]
    public void EveryAwsSdkCallInTheAutoscalersSource_IsMadeByTheScenario()
    {
        var made = Recorder.Calls.Select(c => c.IamAction).ToHashSet(StringComparer.Ordinal);
        var sites = SdkCallSites().ToList();
        Assert.Contains(sites, s => s.Action == "ec2:CreateFleet"); // the scan itself works

        var unreached = sites.Where(s => !made.Contains(s.Action)).Select(s => $"{s.Action} at {s.Site}").ToList();
        Assert.True(unreached.Count == 0, $"AWS calls in the source that no contract request covers:\n{string.Join("\n", unreached)}");
        // And nothing the scenario made is missing from the source scan (the scan would otherwise be blind to it).
        Assert.DoesNotContain(made, a => !sites.Any(s => s.Action == a));
    }

    [MotoFact]
    public void ASpotLaunchRefusedForWantOfTheSpotServiceLinkedRole_FallsBackToOnDemand()
    {
        Assert.Equal(["spot", "on-demand", "on-demand"], scenario.Launched.Select(i => i.CapacityType));
        Assert.Contains(Recorder.Calls, c => c.Action == "CreateFleet" && c.Param("TargetCapacitySpecification.DefaultTargetCapacityType") == "spot");
    }

    /// <summary>
    /// Every call of an AWS SDK operation in autoscaler/**.cs: a method named as an operation of the EC2, SSM or SQS
    /// client interface, followed by "Async(". Names are taken from the SDK's interfaces, so a new operation is found
    /// without this list knowing it.
    /// </summary>
    private static IEnumerable<(string Action, string Site)> SdkCallSites()
    {
        var operations = new[] { (typeof(IAmazonEC2), "ec2"), (typeof(IAmazonSimpleSystemsManagement), "ssm"), (typeof(IAmazonSQS), "sqs") }
            .SelectMany(s => s.Item1.GetMethods().Where(m => m.Name.EndsWith("Async", StringComparison.Ordinal)).Select(m => (Operation: m.Name[..^5], Service: s.Item2)))
            .ToLookup(o => o.Operation, o => o.Service, StringComparer.Ordinal);
        var root = Path.Combine(RepoRoot(), "autoscaler");
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                foreach (Match match in SdkCall().Matches(lines[i]))
                {
                    foreach (var service in operations[match.Groups["operation"].Value])
                    {
                        yield return ($"{service}:{match.Groups["operation"].Value}", $"{Path.GetRelativePath(RepoRoot(), file)}:{i + 1}");
                    }
                }
            }
        }
    }

    private static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Platform.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Platform.sln not found above the test's directory");
    }

    // Any receiver: ec2.CreateFleetAsync( or client.GetQueueUrlAsync(; only names of SDK operations count.
    [GeneratedRegex(@"\.(?<operation>[A-Z]\w*)Async\(")]
    private static partial Regex SdkCall();
}
