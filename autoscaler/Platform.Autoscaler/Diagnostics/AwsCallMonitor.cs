using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using Platform.Autoscaler.Metrics;

namespace Platform.Autoscaler.Diagnostics;

/// <summary>
/// Watches every AWS call of the service's clients: a failing call is one log line naming the service, the action and
/// the error (rate-limited per action, with the count left out), and a counter; a run of calls that cannot reach
/// AWS at all makes <see cref="Problem"/> say so, for /readyz.
/// </summary>
internal sealed partial class AwsCallMonitor(TimeProvider time, ILogger logger, AutoscalerMetrics metrics)
{
    /// <summary>Calls in a row that must fail to reach AWS before the service reports it unreachable.</summary>
    public const int UnreachableAfter = 3;

    private readonly RateLimitedLog log = new(time, TimeSpan.FromMinutes(1));
    private readonly Lock gate = new();
    private int unreachableCalls;
    private DateTimeOffset unreachableSince;
    private string lastUnreachable = "";

    /// <summary>Why AWS counts as unreachable now, or null.</summary>
    public string? Problem
    {
        get
        {
            lock (gate)
            {
                return unreachableCalls >= UnreachableAfter
                    ? $"AWS unreachable since {unreachableSince:yyyy-MM-ddTHH:mm:ssZ} ({unreachableCalls} calls in a row failed): {lastUnreachable}"
                    : null;
            }
        }
    }

    /// <summary>Listens to one client's calls.</summary>
    public void Attach(AmazonServiceClient client)
    {
        client.ExceptionEvent += (_, e) =>
        {
            if (e is WebServiceExceptionEventArgs call)
            {
                Failed(call.ServiceName, Action(call.Request), call.Exception);
            }
        };
        client.AfterResponseEvent += (_, e) =>
        {
            if (e is WebServiceResponseEventArgs call)
            {
                Succeeded(call.ServiceName, Action(call.Request));
            }
        };
    }

    /// <summary>Records a failed call.</summary>
    public void Failed(string service, string action, Exception error)
    {
        service = Service(service);
        var text = ErrorText.Describe(error);
        var unreachable = IsUnreachable(error);
        lock (gate)
        {
            if (unreachable)
            {
                unreachableSince = unreachableCalls == 0 ? time.GetUtcNow() : unreachableSince;
                unreachableCalls++;
                lastUnreachable = $"{service} {action}: {text}";
            }
        }

        metrics.CloudRequestErrors.WithLabels(service, action, (error as AmazonServiceException)?.ErrorCode ?? (unreachable ? "unreachable" : error.GetType().Name)).Inc();
        if (log.ShouldLog($"{service} {action}", out var suppressed))
        {
            LogFailure(logger, service, action, text, RateLimitedLog.Repeats(suppressed));
        }
    }

    /// <summary>Records a call that got an answer.</summary>
    public void Succeeded(string service, string action)
    {
        lock (gate)
        {
            unreachableCalls = 0;
        }

        log.Reset($"{Service(service)} {action}");
    }

    /// <summary>Network failures, timeouts and server-side errors: the call never got a usable answer.</summary>
    private static bool IsUnreachable(Exception error) => error switch
    {
        AmazonServiceException service => (int)service.StatusCode >= 500,
        _ => ErrorText.IsExternal(error),
    };

    /// <summary>"ec2" from the SDK's "Amazon.EC2".</summary>
    private static string Service(string name)
    {
        var lower = name.ToLowerInvariant();
        return lower.StartsWith("amazon.", StringComparison.Ordinal) ? lower["amazon.".Length..] : lower;
    }

    private static string Action(AmazonWebServiceRequest? request)
    {
        var name = request?.GetType().Name ?? "call";
        return name.EndsWith("Request", StringComparison.Ordinal) ? name[..^"Request".Length] : name;
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "aws {Service} {Action} failed: {Error}{Repeats}")]
    private static partial void LogFailure(ILogger logger, string service, string action, string error, string repeats);
}
