namespace Platform.Autoscaler.Api.Validation;

/// <summary>One thing wrong with one field of an object: where (field path) and why.</summary>
/// <param name="Path">The field path, e.g. <c>spec.template.spec.requirements[0].operator</c>; empty for the whole object.</param>
/// <param name="Message">The reason, and the fix where one is known.</param>
public sealed record FieldError(string Path, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}
