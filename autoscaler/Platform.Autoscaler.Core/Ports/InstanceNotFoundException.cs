namespace Platform.Autoscaler.Core.Ports;

/// <summary>The instance no longer exists (terminated, or never launched).</summary>
public sealed class InstanceNotFoundException : Exception
{
    /// <summary>Creates the error for a provider id.</summary>
    public InstanceNotFoundException(string providerId) : base($"instance {providerId} not found") => ProviderId = providerId;

    /// <summary>Creates an error without a provider id.</summary>
    public InstanceNotFoundException() : this("") { }

    /// <summary>Creates an error wrapping another.</summary>
    public InstanceNotFoundException(string message, Exception inner) : base(message, inner) => ProviderId = "";

    /// <summary>The instance's provider id.</summary>
    public string ProviderId { get; }
}
