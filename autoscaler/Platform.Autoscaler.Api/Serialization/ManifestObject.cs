namespace Platform.Autoscaler.Api.Serialization;

/// <summary>A Karpenter object read from a manifest and found valid.</summary>
/// <param name="Source">Where it came from.</param>
/// <param name="Value">The typed object: a <see cref="NodePool"/>, <see cref="NodeClaim"/> or <see cref="EC2NodeClass"/>.</param>
public sealed record ManifestObject(ManifestDocument Source, object Value);
