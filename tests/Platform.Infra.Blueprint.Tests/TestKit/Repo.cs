using System.Runtime.CompilerServices;

namespace Platform.Infra.Blueprint.Tests.TestKit;

/// <summary>Paths in the source tree, found from this file's location at compile time.</summary>
internal static class Repo
{
    public static string TestsDirectory { get; } = Path.GetDirectoryName(Path.GetDirectoryName(ThisFile())!)!;

    public static string Root { get; } = Path.GetFullPath(Path.Combine(TestsDirectory, "..", ".."));

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
