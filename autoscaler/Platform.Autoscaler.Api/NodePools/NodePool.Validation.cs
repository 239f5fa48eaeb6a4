using Platform.Autoscaler.Api.Validation;

namespace Platform.Autoscaler.Api;

public sealed partial record NodePool
{
    /// <summary>The NodePool rules beyond its schema: requirements, labels, taints, budgets, static pools.</summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (Spec is not { } spec)
        {
            return errors; // the schema reports spec as required
        }

        if (spec.Template is { } template)
        {
            foreach (var (key, value) in template.Metadata?.Labels ?? new Dictionary<string, string>())
            {
                var path = FieldPath.Key("spec.template.metadata.labels", key);
                if (!LabelRules.IsValidKey(key))
                {
                    errors.Add(new(path, $"invalid label key \"{key}\": {PatternHints.Describe(Patterns.QualifiedName)}"));
                }
                else if (LabelRules.KeyProblem(key) is { } problem)
                {
                    errors.Add(new(path, problem));
                }

                if (!LabelRules.IsValidValue(value))
                {
                    errors.Add(new(path, $"invalid label value \"{value}\": {PatternHints.Describe(Patterns.LabelValue)}"));
                }
            }

            if (template.Spec is { } templateSpec)
            {
                errors.AddRange(RequirementRules.Validate(templateSpec.Requirements, "spec.template.spec.requirements"));
                errors.AddRange(TaintRules.Validate(templateSpec.Taints, templateSpec.StartupTaints, "spec.template.spec"));
                errors.AddRange(NodeClassReferenceRules.Validate(templateSpec.NodeClassRef, "spec.template.spec.nodeClassRef"));
            }
        }

        errors.AddRange(BudgetRules.Validate(spec.Disruption?.Budgets, "spec.disruption.budgets"));
        if (spec.Replicas is not null)
        {
            errors.Add(new("spec.replicas", NodePoolSpec.ReplicasUnsupported));
        }

        return errors;
    }
}
