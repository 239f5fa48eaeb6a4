namespace Platform.Infra.Blueprint.Settings;

/// <summary>The stack's settings are invalid; <see cref="Errors"/> lists every problem, each naming its config key.</summary>
public sealed class SettingsException : Exception
{
    /// <summary>Creates the exception for the given stack and errors.</summary>
    public SettingsException(string stack, IReadOnlyList<string> errors)
        : base($"stack {stack}: {errors.Count} invalid setting(s) in Pulumi.{stack}.yaml:{Environment.NewLine}" +
               string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
    {
        Errors = errors;
    }

    /// <summary>Every error, as <c>key: reason</c>.</summary>
    public IReadOnlyList<string> Errors { get; }
}
