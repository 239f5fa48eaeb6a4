using Amazon.Runtime;
using Polly;
using Polly.Retry;

namespace Platform.Autoscaler.Aws.Resilience;

/// <summary>
/// Retries AWS calls that failed for reasons that pass (throttling, 5xx, timeouts, dropped connections) with
/// exponential backoff and jitter. Errors that will not pass by waiting (validation, not found, capacity) go
/// straight to the caller. Time comes from the injected <see cref="TimeProvider"/>, so tests need not sleep.
/// </summary>
public static class AwsRetry
{
    /// <summary>AWS error codes that mean "slow down" or "try again".</summary>
    public static readonly IReadOnlySet<string> TransientCodes = new HashSet<string>(StringComparer.Ordinal)
    {
        "RequestLimitExceeded", "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled",
        "TooManyRequestsException", "ServiceUnavailable", "Unavailable", "InternalError", "InternalFailure", "RequestTimeout",
    };

    /// <summary>
    /// Capacity answers: waiting does not make capacity, so they are not retried, and a fleet error with one of them
    /// marks its offering unavailable so the launch falls back to the others. Karpenter's unfulfillableCapacityErrorCodes
    /// (aws/karpenter-provider-aws pkg/errors/errors.go) and older spellings of the same conditions; VcpuLimitExceeded
    /// is per capacity type and instance family group, so another family or spot may still launch.
    /// </summary>
    public static readonly IReadOnlySet<string> CapacityCodes = new HashSet<string>(StringComparer.Ordinal)
    {
        "InsufficientInstanceCapacity", "MaxSpotInstanceCountExceeded", "VcpuLimitExceeded", "UnfulfillableCapacity",
        "Unsupported", "InsufficientFreeAddressesInSubnet", "ReservationCapacityExceeded",
        "InsufficientCapacity", "InsufficientHostCapacity", "SpotMaxPriceTooLow", "InstanceLimitExceeded",
    };

    /// <summary>The pipeline: up to <paramref name="attempts"/> retries from <paramref name="baseDelay"/>, doubling, with jitter.</summary>
    public static ResiliencePipeline Create(TimeProvider time, int attempts = 5, TimeSpan? baseDelay = null) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = attempts,
                Delay = baseDelay ?? TimeSpan.FromMilliseconds(200),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
            })
            .Build();

    /// <summary>Whether an error is worth retrying.</summary>
    public static bool IsTransient(Exception error) => error switch
    {
        AmazonServiceException service => !CapacityCodes.Contains(service.ErrorCode ?? "")
            && (TransientCodes.Contains(service.ErrorCode ?? "") || (int)service.StatusCode >= 500),
        HttpRequestException or TimeoutException => true,
        _ => false,
    };
}
