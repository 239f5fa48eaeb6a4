using System.Collections.Immutable;

namespace Platform.Infra;

/// <summary>The queue's name (the cluster's) and the tags of its resources.</summary>
public sealed record InterruptionQueueArgs(string QueueName, ImmutableSortedDictionary<string, string> Tags);
