namespace Platform.Autoscaler.Api.Validation;

/// <summary>A problem found in a manifest file: the file, the object (Kind/name) when known, the field and the reason.</summary>
/// <param name="File">The file as the user named it.</param>
/// <param name="Object">Kind/name of the object, or null when the file could not be read that far.</param>
/// <param name="Error">The field path and reason.</param>
/// <param name="Line">1-based line of the offending node, when known.</param>
/// <param name="Column">1-based column of the offending node, when known.</param>
public sealed record ManifestError(string File, string? Object, FieldError Error, int? Line = null, int? Column = null)
{
    /// <summary><c>file: Kind/name: path: reason</c>, or <c>file:line:column: reason</c> for errors outside any object.</summary>
    public override string ToString() => Object is null
        ? Line is { } line ? $"{File}:{line}:{Column}: {Error}" : $"{File}: {Error}"
        : $"{File}: {Object}: {Error}";
}
