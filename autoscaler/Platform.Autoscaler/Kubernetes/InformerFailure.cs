namespace Platform.Autoscaler.Kubernetes;

/// <summary>
/// Hears each failed list or watch: the request (verb and URL, e.g. "list https://10.0.0.1/api/v1/pods"), the error,
/// and how many times in a row it failed.
/// </summary>
public delegate void InformerFailure(string request, Exception error, int consecutiveFailures);
