namespace Platform.Tests.Shared;

/// <summary>A theory that needs moto_server, skipped and failed as <see cref="MotoFactAttribute"/> is.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MotoTheoryAttribute : TheoryAttribute
{
    public MotoTheoryAttribute()
    {
        if (MotoServer.Executable() is null && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = "moto_server is not on PATH (it comes with the machine image; pip install 'moto[server]' elsewhere)";
        }
    }
}
