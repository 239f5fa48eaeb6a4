using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Tests.TestKit;

namespace Platform.Autoscaler.Api.Tests.Validation;

public sealed class NodeClaimValidationTests
{
    private static NodeClaim With(NodeClaimSpec spec) => Objects.Claim() with { Spec = spec };

    private static NodeClaimSpec Spec => Objects.Claim().Spec!;

    /// <summary>Every NodeClaim these tests read, by name (the real-API-server tests dry-run them too).</summary>
    public static IEnumerable<(string Name, NodeClaim Claim)> Cases() =>
    [
        ("complete", Objects.Claim()),
        ("without nodeClassRef", With(Spec with { NodeClassRef = null })),
        ("In without values", With(Spec with { Requirements = [Objects.Requirement("team", Operators.In)] })),
        ("nodepool requirement from its pool", With(Spec with { Requirements = [.. Spec.Requirements!, Objects.Requirement(WellKnownLabels.NodePool, Operators.In, "gpu")] })),
        ("hostname requirement", With(Spec with { Requirements = [Objects.Requirement(WellKnownLabels.Hostname, Operators.In, "a")] })),
        ("conditions with type, status and time only", Objects.Claim() with
        {
            Status = new NodeClaimStatus { Conditions = [new Condition { Type = "Launched", Status = "True", LastTransitionTime = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc) }] },
        }),
    ];

    private static NodeClaim Case(string name) => Cases().Single(c => c.Name == name).Claim;

    [Fact]
    public void Validate_CompleteClaim_NoErrors() => Assert.Empty(Read.Errors(Case("complete")));

    [Fact]
    public void Validate_ClaimWithoutNodeClassRef_Required() =>
        Assert.Contains("spec.nodeClassRef: required", Read.Errors(Case("without nodeClassRef")));

    [Fact]
    public void Validate_ClaimRequirementInWithoutValues_Rejected() =>
        Assert.Contains(Read.FieldErrors(Case("In without values")), e => e.Path == "spec.requirements[0].values");

    [Fact]
    public void Validate_ClaimNodePoolRequirement_Allowed() => Assert.Empty(Read.Errors(Case("nodepool requirement from its pool")));

    [Fact]
    public void Validate_ClaimHostnameRequirement_Restricted() =>
        Assert.Contains(Read.FieldErrors(Case("hostname requirement")), e => e.Path == "spec.requirements[0].key" && e.Message.Contains("is restricted", StringComparison.Ordinal));

    [Fact]
    public void Validate_ClaimConditionWithoutReasonOrMessage_Accepted() => Assert.Empty(Read.Errors(Case("conditions with type, status and time only")));
}
