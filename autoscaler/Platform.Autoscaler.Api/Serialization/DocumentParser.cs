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
            foreach (var document in parser.Load())
            {
                yield return document;
            }
        }
    }

    /// <summary>The document <see cref="NextDocument"/> positioned on, as a tree.</summary>
    public IReadOnlyList<YamlDotNet.RepresentationModel.YamlDocument> Load() => Guarded(() =>
    {
        // The representation model, too, refuses some event orders with an ArgumentException of its own.
        var stream = new YamlDotNet.RepresentationModel.YamlStream();
        stream.Load(this);
        return stream.Documents.ToList();
    });

    /// <summary>Positions the parser on the next document; false at the end of the file.</summary>
    public bool NextDocument()
    {
        if (state == State.BeforeStream)
        {
            Guarded(() => inner.Consume<StreamStart>());
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
                Guarded(inner.MoveNext);
                state = State.DocumentDone;
                Current = new StreamEnd(Current.End, Current.End);
                return true;
            case State.Forwarding:
                Guarded(inner.MoveNext);
                Current = inner.Current;
                Track(Current);
                return Current is not null;
            default:
                Current = null;
                return false;
        }
    }

    /// <summary>
    /// YamlDotNet's scanner fails on some malformed text with InvalidOperationException and the like instead of a
    /// YamlException; those become a YamlException at the last position read, so every caller reports a line.
    /// </summary>
    private void Guarded(Action step) => Guarded(() =>
    {
        step();
        return true;
    });

    private T Guarded<T>(Func<T> step)
    {
        try
        {
            return step();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or NullReferenceException
            && e.TargetSite?.DeclaringType?.Namespace?.StartsWith("YamlDotNet", StringComparison.Ordinal) == true)
        {
            var at = inner.Current?.End ?? Mark.Empty;
            throw new YamlException(at, at, $"the YAML cannot be read after this point ({e.Message})", e);
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
