namespace Platform.Autoscaler.Core.Scheduling.Packing;

/// <summary>One node of a kind and how many pods of each item it holds.</summary>
internal sealed record PackingPattern(int Kind, int[] Counts);
