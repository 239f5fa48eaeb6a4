using System.Text.RegularExpressions;
using Platform.Autoscaler.Api.Serialization;
using Platform.Autoscaler.Api.Tests.TestKit;
using Platform.Autoscaler.Api.Tests.Validation;
using Platform.Tests.Shared;

namespace Platform.Autoscaler.Api.Tests.RealApiServer;

/// <summary>
/// Every manifest of the validation tests and every Karpenter document of the seeds gets the same verdict from the
/// real API server, with our generated CRDs, as from <c>validate</c>: a CRD that accepts what the autoscaler refuses
/// lets <c>kubectl apply</c> succeed for an object the service then ignores. Objects go through a server-side dry
/// run (strict field validation, as kubectl sends it); seed files through <c>kubectl apply --dry-run=server</c>.
/// </summary>
public sealed partial class CrdVerdictTests(CrdApiServer fixture) : IClassFixture<CrdApiServer>
{
    private static readonly string Seeds = Path.Combine(AppContext.BaseDirectory, "Seeds");

    public static TheoryData<string, object> Objects()
    {
        var data = new TheoryData<string, object>();
        void Add(string set, IEnumerable<object[]> rows)
        {
            foreach (var row in rows)
            {
                data.Add($"{set}: {row[0]}", row[1]);
            }
        }

        Add("NodePool refused", NodePoolValidationTests.Broken);
        Add("NodePool accepted", NodePoolValidationTests.Fine);
        Add("EC2NodeClass refused", EC2NodeClassValidationTests.Broken);
        Add("EC2NodeClass accepted", EC2NodeClassValidationTests.Fine);
        data.Add("NodePool complete", TestKit.Objects.Pool());
        data.Add("EC2NodeClass complete", TestKit.Objects.NodeClass());
        foreach (var (name, claim) in NodeClaimValidationTests.Cases())
        {
            data.Add($"NodeClaim: {name}", claim);
        }

        return data;
    }

    [KubeApiServerTheory]
    [MemberData(nameof(Objects))]
    public async Task DryRun_ValidationTestObject_SameVerdictAsValidate(string name, object manifest)
    {
        var errors = Read.Errors(manifest);
        var refusal = await fixture.DryRunCreateAsync(manifest);
        Assert.True((refusal is null) == (errors.Count == 0),
            $"{name}: validate {(errors.Count == 0 ? "accepts it" : "refuses it: " + string.Join("; ", errors))}, the API server "
            + (refusal is null ? "accepts it" : "refuses it: " + refusal));
    }

    /// <summary>Each Karpenter document of each seed file (v1beta1 ones too), or the whole file where it is not YAML.</summary>
    public static TheoryData<string, int> SeedDocuments()
    {
        var data = new TheoryData<string, int>();
        foreach (var file in Directory.GetFiles(Seeds, "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            var documents = Documents(File.ReadAllText(Path.Combine(Seeds, file!)));
            for (var i = 0; i < documents.Count; i++)
            {
                if (KarpenterDocument().IsMatch(documents[i]))
                {
                    data.Add(file!, i);
                }
            }
        }

        return data;
    }

    [KubeApiServerTheory]
    [MemberData(nameof(SeedDocuments))]
    public void KubectlApplyDryRun_SeedDocument_SameVerdictAsValidate(string file, int document)
    {
        Assert.True(KubeApiServer.HasKubectl(), "kubectl is not on PATH");
        var text = Documents(File.ReadAllText(Path.Combine(Seeds, file)))[document];
        var set = new ManifestReader().Read(file, text);
        var (exit, output) = fixture.Server!.Kubectl(text, "apply", "--dry-run=server", "-f", "-");
        var validateAccepts = set.Errors.Count == 0 && set.Objects.Count == 1;
        Assert.True((exit == 0) == validateAccepts,
            $"{file} document {document}: validate {(validateAccepts ? "accepts it" : "refuses it: " + string.Join("; ", set.Errors))}, kubectl apply --dry-run=server "
            + (exit == 0 ? "accepts it" : "refuses it: " + output));
    }

    [KubeApiServerFact]
    public void Seeds_EveryFileHasAKarpenterDocumentChecked() =>
        Assert.Equal(Directory.GetFiles(Seeds, "*.yaml").Length, SeedDocuments().Select(row => (string)row[0]).Distinct().Count());

    // Seed files separate documents with plain "---" lines; a file that is not YAML (the flattened seed 001 blocks)
    // stays one document, as kubectl reads it up to the error.
    private static List<string> Documents(string text) => [.. Separator().Split(text).Where(d => d.Trim().Length > 0)];

    [GeneratedRegex(@"^---[ \t]*\r?$", RegexOptions.Multiline)]
    private static partial Regex Separator();

    [GeneratedRegex(@"^apiVersion:\s*karpenter\.(sh|k8s\.aws)/", RegexOptions.Multiline)]
    private static partial Regex KarpenterDocument();
}
