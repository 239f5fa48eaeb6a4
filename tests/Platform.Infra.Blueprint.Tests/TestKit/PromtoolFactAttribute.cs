namespace Platform.Infra.Blueprint.Tests.TestKit;

/// <summary>
/// A test that needs Prometheus' promtool. Where it is not installed the test is skipped with the reason, except under
/// CI=true, where it runs (and fails), so a CI machine without promtool cannot pass by skipping.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PromtoolFactAttribute : FactAttribute
{
    public PromtoolFactAttribute()
    {
        if (Promtool.Executable() is null && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = "promtool is not on PATH (Debian: apt-get install prometheus; .ci/run installs it)";
        }
    }
}
