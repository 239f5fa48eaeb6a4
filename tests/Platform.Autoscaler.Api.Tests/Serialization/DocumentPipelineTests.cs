using System.Text;
using Platform.Autoscaler.Api.Serialization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Platform.Autoscaler.Api.Tests.Serialization;

/// <summary>
/// The parsing thread behind <see cref="ManifestReader"/>: documents arrive in file order, an error in the text
/// arrives after every document before it, and a reader that stops early does not leave the thread waiting.
/// </summary>
public sealed class DocumentPipelineTests
{
    private static string Documents(int count)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Append("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c").Append(i).Append('\n');
        }

        return text.ToString();
    }

    private static string Name(YamlDocument document) =>
        ((YamlScalarNode)((YamlMappingNode)((YamlMappingNode)document.RootNode)["metadata"])["name"]).Value!;

    [Fact]
    public void Read_ManyMoreDocumentsThanItHoldsAhead_AllInFileOrderWithRisingPositions()
    {
        var read = DocumentPipeline.Read(new StringReader(Documents(500))).ToList();

        Assert.Equal(Enumerable.Range(0, 500).Select(i => $"c{i}"), read.SelectMany(r => r.Documents).Select(Name));
        Assert.Equal(read.Select(r => r.Position).Order(), read.Select(r => r.Position));
        Assert.True(read[^1].Position > read[0].Position);
    }

    [Fact]
    public void Read_ErrorAfterManyDocuments_ThrownOnlyOnceEveryEarlierDocumentIsHandedOver()
    {
        var names = new List<string>();
        var error = Assert.ThrowsAny<YamlException>(() =>
        {
            foreach (var (documents, _) in DocumentPipeline.Read(new StringReader(Documents(300) + "---\nkind: [unclosed\n")))
            {
                names.AddRange(documents.Select(Name));
            }
        });

        Assert.Equal(300, names.Count);
        Assert.Equal(1503, error.Start.Line); // where the unclosed flow sequence of line 1502 ends
    }

    [Fact]
    public async Task Read_ReaderStopsAfterTheFirstDocument_ParserThreadEnds()
    {
        // Far more documents than the queue holds: a parser not told to stop would block on the full queue forever,
        // and disposing the enumerator (which joins the thread) would never return.
        var stopped = Task.Run(() =>
        {
            using var reader = new StringReader(Documents(5_000));
            return DocumentPipeline.Read(reader).First().Documents.Count;
        });

        Assert.Equal(1, await stopped.WaitAsync(TimeSpan.FromMinutes(1)));
    }
}
