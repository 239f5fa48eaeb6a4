namespace Platform.Autoscaler.Aws.Tests.TestKit;

/// <summary>One request the fault proxy saw: the action (query Action or JSON X-Amz-Target), the signature header, path and body.</summary>
public sealed record ProxiedRequest(string Action, string Authorization, string Path, string Body);
