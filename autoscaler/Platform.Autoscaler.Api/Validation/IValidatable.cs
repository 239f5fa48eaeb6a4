namespace Platform.Autoscaler.Api.Validation;

/// <summary>An API object that checks the rules its schema cannot express (Karpenter's CEL rules and webhook-free Go checks).</summary>
public interface IValidatable
{
    /// <summary>Every rule the object breaks, each with its field path; empty when valid.</summary>
    IReadOnlyList<FieldError> Validate();
}
