namespace Platform.Autoscaler.Core.GarbageCollection;

/// <summary>A NodeClaim as garbage collection sees it: its name and, once launched, its instance.</summary>
/// <param name="Name">NodeClaim name.</param>
/// <param name="ProviderId">The launched instance, or null while launching.</param>
/// <param name="CreatedAt">When the NodeClaim was created.</param>
public sealed record ClaimRecord(string Name, string? ProviderId, DateTimeOffset CreatedAt);
