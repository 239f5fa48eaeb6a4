namespace Platform.Autoscaler.Api.Validation;

/// <summary>Builds field paths the way Kubernetes prints them: <c>a.b[0].c</c>, map keys in brackets.</summary>
public static class FieldPath
{
    /// <summary>A child field.</summary>
    public static string Child(string parent, string field) => parent.Length == 0 ? field : $"{parent}.{field}";

    /// <summary>A list item or map entry.</summary>
    public static string Index(string parent, int index) => $"{parent}[{index}]";

    /// <summary>A map entry by key.</summary>
    public static string Key(string parent, string key) => $"{parent}[{key}]";
}
