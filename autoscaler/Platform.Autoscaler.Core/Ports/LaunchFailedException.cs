namespace Platform.Autoscaler.Core.Ports;

/// <summary>
/// The cloud refused a launch for a reason other than capacity (a missing launch template, a permission, a bad
/// parameter): nothing is learnt about the offerings, and the launch is tried again later.
/// </summary>
public sealed class LaunchFailedException : Exception
{
    /// <summary>Creates the error.</summary>
    public LaunchFailedException(string message) : base(message) { }

    /// <summary>Creates an error without a message.</summary>
    public LaunchFailedException() { }

    /// <summary>Creates an error wrapping another.</summary>
    public LaunchFailedException(string message, Exception inner) : base(message, inner) { }
}
