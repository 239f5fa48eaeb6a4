namespace Platform.Autoscaler.Cli;

/// <summary>Process exit codes shared by all verbs.</summary>
internal static class ExitCodes
{
    /// <summary>Done, nothing wrong.</summary>
    public const int Ok = 0;
    /// <summary>The input was read and found wrong (validation errors, unplaceable pods ...).</summary>
    public const int Invalid = 1;
    /// <summary>The command line was wrong: unknown option, missing file.</summary>
    public const int Usage = 2;
}
