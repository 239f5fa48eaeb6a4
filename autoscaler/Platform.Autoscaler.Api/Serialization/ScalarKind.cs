namespace Platform.Autoscaler.Api.Serialization;

/// <summary>What a YAML scalar means once resolved, as kubectl's YAML-to-JSON step would read it.</summary>
public enum ScalarKind
{
    /// <summary>null, ~ or empty.</summary>
    Null,
    /// <summary>true or false (and YAML 1.1's yes/no/on/off, which kubectl also reads as booleans).</summary>
    Boolean,
    /// <summary>An integer.</summary>
    Integer,
    /// <summary>A floating point number.</summary>
    Float,
    /// <summary>Anything else, and every quoted or block scalar.</summary>
    String,
}
