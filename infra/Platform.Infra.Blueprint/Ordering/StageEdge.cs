namespace Platform.Infra.Blueprint.Ordering;

/// <summary><paramref name="Later"/> is created after <paramref name="Earlier"/> exists and deleted before it goes, for <paramref name="Reason"/>.</summary>
public sealed record StageEdge(Stage Later, Stage Earlier, string Reason);
