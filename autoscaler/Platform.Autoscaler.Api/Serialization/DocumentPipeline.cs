using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using YamlDotNet.RepresentationModel;

namespace Platform.Autoscaler.Api.Serialization;

/// <summary>
/// Parses a YAML stream on a thread of its own while the caller checks the documents already parsed: parsing is
/// half the time a large file takes, and the checks the other half, so on two cores the two overlap. Documents come
/// in file order with the characters read after each; an error in the text is thrown to the caller where the
/// documents before it have been handed over, as the one-thread read would. At most <see cref="Ahead"/> parsed
/// documents wait, so memory stays that of one document at a time.
/// </summary>
internal static class DocumentPipeline
{
    private const int Ahead = 64;

    /// <summary>Stack for the parsing thread: the tree is built recursively, up to <see cref="DocumentParser.MaxDepth"/> levels.</summary>
    private const int ParserStackBytes = 16 * 1024 * 1024;

    public static IEnumerable<(IReadOnlyList<YamlDocument> Documents, long Position)> Read(TextReader text)
    {
        using var queue = new BlockingCollection<Parsed>(Ahead);
        using var stop = new CancellationTokenSource();
        var parsing = new Thread(() => Parse(text, queue, stop.Token), ParserStackBytes) { IsBackground = true, Name = "yaml-parser" };
        parsing.Start();
        try
        {
            foreach (var item in queue.GetConsumingEnumerable())
            {
                if (item.Error is { } error)
                {
                    error.Throw();
                }

                yield return (item.Documents, item.Position);
            }
        }
        finally
        {
            // The caller may stop early (an exception of its own): the parser must not wait on a full queue forever.
            stop.Cancel();
            parsing.Join();
        }
    }

    private static void Parse(TextReader text, BlockingCollection<Parsed> queue, CancellationToken stop)
    {
        try
        {
            var parser = new DocumentParser(text);
            while (parser.NextDocument())
            {
                queue.Add(new Parsed(parser.Load(), parser.Position, null), stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            // Handed to the reader in order, after every document parsed before it.
            try
            {
                queue.Add(new Parsed([], 0, ExceptionDispatchInfo.Capture(e)), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        queue.CompleteAdding();
    }

    private sealed record Parsed(IReadOnlyList<YamlDocument> Documents, long Position, ExceptionDispatchInfo? Error);
}
