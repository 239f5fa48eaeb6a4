namespace Platform.Tests.Shared;

/// <summary>The checkout a test was built in: the folder above the test's binaries that holds Platform.sln.</summary>
internal static class RepositoryRoot
{
    /// <summary>The folder, or null when the binaries were copied out of a checkout.</summary>
    public static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Platform.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    /// <summary>The folder; throws when there is none.</summary>
    public static string Get() => Find() ?? throw new InvalidOperationException("Platform.sln not found above " + AppContext.BaseDirectory);
}
