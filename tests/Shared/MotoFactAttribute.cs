namespace Platform.Tests.Shared;

/// <summary>
/// A test that needs moto_server. Where moto is not installed it is skipped with the reason, except under CI=true,
/// where it runs (and fails), so a CI machine without moto cannot pass by skipping.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MotoFactAttribute : FactAttribute
{
    public MotoFactAttribute() => Skip = MotoServer.SkipReason();
}
