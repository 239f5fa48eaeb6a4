using System.Text;

namespace Platform.Autoscaler.Simulation.Tests.Fuzz;

/// <summary>
/// Mutates a valid input the way hostile or careless hands would: spans deleted, repeated or swapped, YAML and JSON
/// syntax and absurd values dropped in, the text cut short. Seeded: a failing case is replayed from its seed.
/// </summary>
internal static class Mutator
{
    private static readonly string[] Tokens =
    [
        ":", ": ", "- ", "[", "]", "{", "}", "&a ", "*a", "!!binary ", "!!int ", "|", ">", "'", "\"", "\t", "\n", "---\n", "...\n",
        "%YAML 1.2\n", "~", "null", "-1", "-4", "1e29", "1e308", "NaN", "Infinity", "99999999999", "2147483647", "9223372036854775808",
        "99999999999h", "0x1F", "0o17", "\u0000", "\uFFFD", "💥", "<<: *a", "? ", "#", ",", "\\", "\r\n", "    ", "[[[[[[[[[[[[",
        "{a: [b, {c: d}]}", "\"\\u00", "yes", "no", "on", "1Ei", "-0.5", "10000000000000000",
    ];

    public static string Mutate(string text, Random random)
    {
        var builder = new StringBuilder(text);
        var operations = random.Next(1, 5);
        for (var i = 0; i < operations && builder.Length > 0; i++)
        {
            var at = random.Next(builder.Length);
            var length = Math.Min(builder.Length - at, random.Next(1, 40));
            switch (random.Next(6))
            {
                case 0:
                    builder.Remove(at, length);
                    break;
                case 1:
                    builder.Insert(random.Next(builder.Length), builder.ToString(at, length));
                    break;
                case 2:
                    builder.Insert(at, Tokens[random.Next(Tokens.Length)]);
                    break;
                case 3:
                    builder.Remove(at, length).Insert(at, Tokens[random.Next(Tokens.Length)]);
                    break;
                case 4:
                    builder.Length = at;
                    break;
                default:
                    var lines = builder.ToString().Split('\n');
                    var (a, b) = (random.Next(lines.Length), random.Next(lines.Length));
                    (lines[a], lines[b]) = (lines[b], lines[a]);
                    builder.Clear().Append(string.Join('\n', lines));
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>Random bytes read as text: what a user gets by naming the wrong file.</summary>
    public static string Garbage(Random random)
    {
        var bytes = new byte[random.Next(0, 2000)];
        random.NextBytes(bytes);
        return Encoding.UTF8.GetString(bytes);
    }
}
