using System.Text;

namespace Platform.Infra.Blueprint.Tests.TestKit;

/// <summary>
/// Compares rendered text with a file under Snapshots/ and prints a line diff when they differ. With
/// UPDATE_SNAPSHOTS=1 it rewrites the file instead, so a pull request shows the change as a diff of that file.
/// </summary>
internal static class Snapshot
{
    public static void Match(string relativePath, string actual)
    {
        actual = actual.ReplaceLineEndings("\n");
        if (!actual.EndsWith('\n'))
        {
            actual += "\n";
        }

        var path = Path.Combine(Repo.TestsDirectory, "Snapshots", relativePath);
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"snapshot {relativePath} is missing; create it with UPDATE_SNAPSHOTS=1 bash scripts/test.sh");
        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (expected != actual)
        {
            Assert.Fail($"snapshot {relativePath} differs (- snapshot, + rendered); if the change is intended, run UPDATE_SNAPSHOTS=1 bash scripts/test.sh\n{Diff(expected, actual)}");
        }
    }

    /// <summary>A unified-style diff of lines (longest common subsequence), at most 80 changed lines.</summary>
    internal static string Diff(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var output = new StringBuilder();
        var changes = 0;
        int x = 0, y = 0;
        while ((x < a.Length || y < b.Length) && changes < 80)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                x++;
                y++;
            }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y]))
            {
                output.Append($"+{y + 1,5}: ").AppendLine(b[y++]);
                changes++;
            }
            else
            {
                output.Append($"-{x + 1,5}: ").AppendLine(a[x++]);
                changes++;
            }
        }

        return output.ToString();
    }
}
