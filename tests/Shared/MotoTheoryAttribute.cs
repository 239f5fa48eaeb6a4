namespace Platform.Tests.Shared;

/// <summary>A theory that needs moto_server, skipped and failed as <see cref="MotoFactAttribute"/> is.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MotoTheoryAttribute : TheoryAttribute
{
    public MotoTheoryAttribute() => Skip = MotoServer.SkipReason();
}
