using System.Net;
using k8s.Autorest;

namespace Platform.Autoscaler.Kubernetes;

/// <summary>Which answer of the API server a failed call got, by status code.</summary>
internal static class ApiErrors
{
    public static bool Is(this HttpOperationException error, HttpStatusCode code) => error.Response?.StatusCode == code;

    public static bool IsNotFound(this HttpOperationException error) => error.Is(HttpStatusCode.NotFound);

    /// <summary>409: AlreadyExists on create, Conflict (a stale resourceVersion) on update.</summary>
    public static bool IsConflict(this HttpOperationException error) => error.Is(HttpStatusCode.Conflict);

    public static bool IsTooManyRequests(this HttpOperationException error) => error.Is(HttpStatusCode.TooManyRequests);
}
