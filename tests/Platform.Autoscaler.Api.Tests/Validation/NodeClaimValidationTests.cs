using Platform.Autoscaler.Api;
using Platform.Autoscaler.Api.Tests.TestKit;

namespace Platform.Autoscaler.Api.Tests.Validation;

public sealed class NodeClaimValidationTests
{
    [Fact]
    public void Validate_CompleteClaim_NoErrors() => Assert.Empty(Read.Errors(Objects.Claim()));

    [Fact]
    public void Validate_ClaimWithoutNodeClassRef_Required()
    {
        var claim = Objects.Claim() with { Spec = Objects.Claim().Spec! with { NodeClassRef = null } };
        Assert.Contains("spec.nodeClassRef: required", Read.Errors(claim));
    }

    [Fact]
    public void Validate_ClaimRequirementInWithoutValues_Rejected()
    {
        var claim = Objects.Claim() with { Spec = Objects.Claim().Spec! with { Requirements = [Objects.Requirement("team", Operators.In)] } };
        Assert.Contains(Read.FieldErrors(claim), e => e.Path == "spec.requirements[0].values");
    }
}
