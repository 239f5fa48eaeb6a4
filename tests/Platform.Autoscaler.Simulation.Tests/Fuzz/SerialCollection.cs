namespace Platform.Autoscaler.Simulation.Tests.Fuzz;

/// <summary>Tests that measure their own allocations run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial";
}
