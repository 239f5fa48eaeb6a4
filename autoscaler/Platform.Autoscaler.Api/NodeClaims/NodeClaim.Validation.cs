using Platform.Autoscaler.Api.Validation;

namespace Platform.Autoscaler.Api;

public sealed partial record NodeClaim
{
    /// <summary>The NodeClaim rules beyond its schema: requirements, taints, node class.</summary>
    public IReadOnlyList<FieldError> Validate()
    {
        if (Spec is not { } spec)
        {
            return [];
        }

        return
        [
            .. RequirementRules.Validate(spec.Requirements, "spec.requirements", ownedByNodePool: true),
            .. TaintRules.Validate(spec.Taints, spec.StartupTaints, "spec"),
            .. NodeClassReferenceRules.Validate(spec.NodeClassRef, "spec.nodeClassRef"),
        ];
    }
}
