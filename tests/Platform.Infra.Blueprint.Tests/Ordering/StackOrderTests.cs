using Platform.Infra.Blueprint.Ordering;

namespace Platform.Infra.Blueprint.Tests.Ordering;

public sealed class StackOrderTests
{
    private static int Wave(IReadOnlyList<IReadOnlyList<Stage>> waves, Stage stage) => waves.Select((w, i) => (w, i)).Single(x => x.w.Contains(stage)).i;

    [Fact]
    public void CreationWaves_EveryStageOnce_EachEdgeGoesForward()
    {
        var waves = StackOrder.CreationWaves();

        Assert.Equal(Enum.GetValues<Stage>().Order(), waves.SelectMany(w => w).Order());
        foreach (var edge in StackOrder.Edges)
        {
            Assert.True(Wave(waves, edge.Later) > Wave(waves, edge.Earlier), $"{edge.Later} is not created after {edge.Earlier}");
        }
    }

    [Theory]
    [InlineData(Stage.CoreDns, Stage.SystemNodes)]
    [InlineData(Stage.EbsCsiDriver, Stage.SystemNodes)]
    [InlineData(Stage.Monitoring, Stage.SystemNodes)]
    [InlineData(Stage.GpuOperator, Stage.SystemNodes)]
    [InlineData(Stage.Keda, Stage.SystemNodes)]
    [InlineData(Stage.Autoscaler, Stage.SystemNodes)]
    [InlineData(Stage.Autoscaler, Stage.AutoscalerIdentity)]
    [InlineData(Stage.Autoscaler, Stage.PodIdentityAgent)]
    [InlineData(Stage.Autoscaler, Stage.CoreDns)]
    [InlineData(Stage.NodePools, Stage.Autoscaler)]
    [InlineData(Stage.NodeClasses, Stage.ClusterSecurityGroupTag)]
    public void Order_LaterStage_WaitsForEarlierStage(Stage later, Stage earlier)
    {
        Assert.True(StackOrder.IsAfter(later, earlier));
        Assert.False(StackOrder.IsAfter(earlier, later));
    }

    [Theory]
    [InlineData(Stage.Iam)]
    [InlineData(Stage.InterruptionQueue)]
    [InlineData(Stage.Network)]
    [InlineData(Stage.SystemNodes)]
    [InlineData(Stage.CoreDns)]
    [InlineData(Stage.AutoscalerIdentity)]
    [InlineData(Stage.PodIdentityAgent)]
    [InlineData(Stage.ControlPlane)]
    [InlineData(Stage.AutoscalerCrds)]
    [InlineData(Stage.KubernetesProvider)]
    public void DeletionWaves_NodePoolsThenAutoscaler_BeforeWhatItNeedsToTerminateInstances(Stage needed)
    {
        var waves = StackOrder.DeletionWaves();

        Assert.Contains(Stage.NodePools, waves[0]);
        Assert.True(Wave(waves, Stage.NodePools) < Wave(waves, Stage.NodeClasses));
        Assert.True(Wave(waves, Stage.NodeClasses) < Wave(waves, Stage.Autoscaler));
        Assert.True(Wave(waves, Stage.Autoscaler) < Wave(waves, needed), $"{needed} is deleted before or with the autoscaler");
    }

    [Fact]
    public void Edges_EachHasAReasonAndNoDuplicate()
    {
        Assert.All(StackOrder.Edges, e => Assert.False(string.IsNullOrWhiteSpace(e.Reason)));
        Assert.Equal(StackOrder.Edges.Length, StackOrder.Edges.Select(e => (e.Later, e.Earlier)).Distinct().Count());
    }
}
