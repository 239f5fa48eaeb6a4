using System.Text.Json;
using Platform.Autoscaler.Api.Serialization;

namespace Platform.Autoscaler.Api.Tests.Serialization;

/// <summary>
/// The acceptance test of the validator: every Karpenter manifest of the platform's source documents, extracted
/// verbatim into Seeds/ and classified in Seeds/seeds.json. Complete v1 objects pass; incomplete ones fail on the
/// fields they lack; v1beta1 ones fail with a migration message. Seed 001 lost its indentation in a web copy: its
/// verbatim blocks must fail as YAML (with a line and column), and their reconstructions must pass.
/// </summary>
public sealed class SeedsTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Seeds");

    private static ManifestSet Read(string file) => new ManifestReader().Read(file, File.ReadAllText(Path.Combine(Folder, file)));

    public static TheoryData<string, string, string, string, string[]> Documents()
    {
        var data = new TheoryData<string, string, string, string, string[]>();
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "seeds.json")));
        foreach (var entry in json.RootElement.EnumerateArray().Where(e => e.GetProperty("yamlValid").GetBoolean()))
        {
            foreach (var document in entry.GetProperty("documents").EnumerateArray())
            {
                var missing = document.TryGetProperty("missing", out var m) ? m.EnumerateArray().Select(x => x.GetString()!).ToArray() : [];
                data.Add(entry.GetProperty("file").GetString()!, document.GetProperty("kind").GetString()!, document.GetProperty("name").GetString()!,
                    document.GetProperty("class").GetString()!, missing);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Validate_SeedDocument_MatchesItsClass(string file, string kind, string name, string kindOfDocument, string[] missing)
    {
        var set = Read(file);
        var objectName = $"{kind}/{name}";
        var errors = set.Errors.Where(e => e.Object == objectName).Select(e => e.Error).ToList();
        switch (kindOfDocument)
        {
            case "complete-v1":
                Assert.True(errors.Count == 0, $"{file}: {string.Join("; ", errors)}");
                Assert.Contains(set.Objects, o => o.Source.Object == objectName);
                break;
            case "incomplete-v1":
                Assert.NotEmpty(errors);
                Assert.Contains(errors, e => e.Path == missing[0] && e.Message == "required");
                break;
            case "v1beta1":
                Assert.Contains(errors, e => e.Path == "apiVersion" && e.Message.Contains("v1beta1 is not supported", StringComparison.Ordinal));
                Assert.True(errors.Count > 1, $"{file}: expected the changes to be listed, got {string.Join("; ", errors)}");
                break;
            default:
                Assert.Contains(set.Skipped, s => s.Object == objectName);
                break;
        }
    }

    public static TheoryData<string> Flattened()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "seeds.json")));
        return [.. json.RootElement.EnumerateArray().Where(e => !e.GetProperty("yamlValid").GetBoolean()).Select(e => e.GetProperty("file").GetString()!)];
    }

    [Theory]
    [MemberData(nameof(Flattened))]
    public void Validate_FlattenedSeedBlock_SyntaxErrorWithLineAndColumn(string file)
    {
        var error = Assert.Single(Read(file).Errors);
        Assert.Null(error.Object);
        Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(file)}:\d+:\d+: YAML syntax error: ", error.ToString());
    }

    public static TheoryData<string, string> Reconstructed()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "reconstructed.json")));
        var data = new TheoryData<string, string>();
        foreach (var entry in json.RootElement.EnumerateArray())
        {
            var document = entry.GetProperty("documents")[0];
            data.Add(entry.GetProperty("file").GetString()!, $"{document.GetProperty("kind").GetString()}/{document.GetProperty("name").GetString()}");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Reconstructed))]
    public void Validate_ReconstructedSeedBlock_Passes(string file, string objectName)
    {
        var set = Read(file);
        Assert.True(set.Errors.Count == 0, string.Join("\n", set.Errors));
        Assert.Equal(objectName, Assert.Single(set.Objects).Source.Object);
    }

    [Fact]
    public void Seeds_CoverEveryClass()
    {
        var classes = Documents().Select(row => (string)row[3]).ToList();
        Assert.True(classes.Count(c => c == "complete-v1") >= 10);
        Assert.Contains("incomplete-v1", classes);
        Assert.Contains("v1beta1", classes);
        Assert.Equal(12, Reconstructed().Count());
    }
}
