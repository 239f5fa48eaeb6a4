namespace Platform.Tests.Shared;

/// <summary>
/// A test that needs moto_server. Where moto is not installed it is skipped with the reason, except under CI=true,
/// where it runs (and fails), so a CI machine without moto cannot pass by skipping.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MotoFactAttribute : FactAttribute
{
    public MotoFactAttribute()
    {
        if (MotoServer.Executable() is null && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = "moto_server is not on PATH (it comes with the machine image; pip install 'moto[server]' elsewhere)";
        }
    }
}
