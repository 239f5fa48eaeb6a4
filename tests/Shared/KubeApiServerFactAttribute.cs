namespace Platform.Tests.Shared;

/// <summary>
/// A test that needs the real kube-apiserver (<see cref="KubeApiServer"/>). Where its binaries are absent it is skipped
/// with the reason, under CI=true too: they are built by hand (shared/tools/kube-apiserver/build.sh), never by a test.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class KubeApiServerFactAttribute : FactAttribute
{
    public KubeApiServerFactAttribute() => Skip = KubeApiServer.SkipReason();
}

/// <summary>The <see cref="TheoryAttribute"/> twin of <see cref="KubeApiServerFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class KubeApiServerTheoryAttribute : TheoryAttribute
{
    public KubeApiServerTheoryAttribute() => Skip = KubeApiServer.SkipReason();
}
