using System.Net.Sockets;
using System.Text.Json;
using Amazon.Runtime;

namespace Platform.Autoscaler.Diagnostics;

/// <summary>
/// One short line for an error from the cluster or the cloud: what the server or the network said, without the
/// stack. The stack of a refused connection says nothing an operator can act on; the host and the reason do.
/// </summary>
internal static class ErrorText
{
    private const int MaxLength = 300;

    /// <summary>Whether the error came from talking to the API server or AWS (as opposed to a bug of ours).</summary>
    public static bool IsExternal(Exception error) => error switch
    {
        AmazonServiceException or AmazonClientException or HttpRequestException or SocketException or IOException or TimeoutException
            or k8s.Autorest.HttpOperationException or k8s.KubernetesException => true,
        TaskCanceledException { InnerException: TimeoutException } => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsExternal),
        _ => error.InnerException is { } inner && IsExternal(inner),
    };

    /// <summary>The exception to log with its stack: none for the cluster's or the cloud's errors, whose line says it all.</summary>
    public static Exception? StackUnlessExternal(Exception error) => IsExternal(error) ? null : error;

    /// <summary>The line: status and message from a server, the innermost cause of a network failure.</summary>
    public static string Describe(Exception error)
    {
        var text = error switch
        {
            AmazonServiceException service => $"{service.ErrorCode ?? ((int)service.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)}: {service.Message}",
            k8s.Autorest.HttpOperationException http => $"{(int)http.Response.StatusCode} {http.Response.StatusCode}{StatusMessage(http.Response.Content)}",
            k8s.KubernetesException kubernetes => $"{kubernetes.Status?.Code} {kubernetes.Status?.Reason}: {kubernetes.Status?.Message ?? kubernetes.Message}",
            _ => Innermost(error).Message,
        };
        text = text.ReplaceLineEndings(" ");
        return text.Length <= MaxLength ? text : text[..MaxLength] + "...";
    }

    private static Exception Innermost(Exception error)
    {
        // A refused connection arrives as HttpRequestException > SocketException, whose message lacks the host; the
        // SDKs wrap it once more.
        while (error.InnerException is { } inner && error is not (AmazonServiceException or HttpRequestException))
        {
            error = inner;
        }

        return error;
    }

    private static string StatusMessage(string? content)
    {
        if (string.IsNullOrEmpty(content))
        {
            return "";
        }

        try
        {
            using var status = JsonDocument.Parse(content);
            return status.RootElement.TryGetProperty("message", out var message) ? $": {message.GetString()}" : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }
}
