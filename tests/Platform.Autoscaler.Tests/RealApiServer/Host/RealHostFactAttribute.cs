using Platform.Tests.Shared;

namespace Platform.Autoscaler.Tests.RealApiServer.Host;

/// <summary>
/// A test of the service binary against the real API server and moto_server. As the rest of the real API server tier,
/// it is skipped with the reason where the kube-apiserver binaries are absent (CI included: they are built by hand),
/// or kubectl is. Where they are present, moto_server is expected as the moto tests expect it: skipped without it,
/// except under CI=true, where the test runs and fails.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RealHostFactAttribute : FactAttribute
{
    public RealHostFactAttribute()
    {
        Skip = KubeApiServer.SkipReason()
            ?? (KubeApiServer.HasKubectl() ? null : "kubectl is not on PATH (the real API server tier runs kubectl apply and kubectl delete)")
            ?? MotoServer.SkipReason();
    }
}
