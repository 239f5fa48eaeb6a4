using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Platform.Autoscaler.Api.Serialization;

/// <summary>
/// Hands a YAML stream to <see cref="YamlDotNet.RepresentationModel.YamlStream"/> one document at a time: each
/// <see cref="NextDocument"/> presents a stream of that document alone, so a large file is never held as one tree,
/// and line numbers stay those of the file. Nesting deeper than <see cref="MaxDepth"/> stops the read with an error:
/// building the tree recurses once per level, and a hostile file of 50,000 levels would overflow the stack.
/// </summary>
public sealed class DocumentParser(TextReader reader) : IParser
{
    /// <summary>Deeper than any manifest; shallow enough for every recursive walk of the tree.</summary>
    public const int MaxDepth = 512;

    private readonly Parser inner = new(reader);
    private State state = State.BeforeStream;
    private int depth;

    private enum State { BeforeStream, Synthetic, Forwarding, DocumentDone, Ended }

    /// <inheritdoc />
    public ParsingEvent? Current { get; private set; }

    /// <summary>Characters read so far, for progress.</summary>
    public long Position => inner.Current?.End.Index ?? 0;

    /// <summary>Every document of a text, each a tree; throws <see cref="YamlException"/> at the first broken one.</summary>
    public static IEnumerable<YamlDotNet.RepresentationModel.YamlDocument> ReadDocuments(TextReader reader)
    {
        var parser = new DocumentParser(reader);
        while (parser.NextDocument())
        {
            var stream = new YamlDotNet.RepresentationModel.YamlStream();
            stream.Load(parser);
            foreach (var document in stream.Documents)
            {
                yield return document;
            }
        }
    }

    /// <summary>Positions the parser on the next document; false at the end of the file.</summary>
    public bool NextDocument()
    {
        if (state == State.BeforeStream)
        {
            inner.Consume<StreamStart>();
        }

        if (state == State.Ended || inner.Current is StreamEnd)
        {
            state = State.Ended;
            return false;
        }

        state = State.Synthetic;
        Current = new StreamStart(inner.Current!.Start, inner.Current.Start);
        return true;
    }

    /// <inheritdoc />
    public bool MoveNext()
    {
        switch (state)
        {
            case State.Synthetic:
                state = State.Forwarding;
                Current = inner.Current;
                Track(Current);
                return true;
            case State.Forwarding when Current is DocumentEnd:
                inner.MoveNext();
                state = State.DocumentDone;
                Current = new StreamEnd(Current.End, Current.End);
                return true;
            case State.Forwarding:
                inner.MoveNext();
                Current = inner.Current;
                Track(Current);
                return Current is not null;
            default:
                Current = null;
                return false;
        }
    }

    private void Track(ParsingEvent? current)
    {
        switch (current)
        {
            case MappingStart or SequenceStart when ++depth > MaxDepth:
                throw new NestingTooDeepException(current.Start, current.End);
            case MappingEnd or SequenceEnd:
                depth--;
                break;
        }
    }
}
