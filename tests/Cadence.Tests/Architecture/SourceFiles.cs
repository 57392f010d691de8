using System.Text.RegularExpressions;

namespace Cadence.Tests.Architecture;

/// <summary>
/// The server's hand-written source files (src/Cadence without the generated migrations), read from the checkout the
/// tests were built in, and a measure of their methods' length that needs no compiler.
/// </summary>
public static partial class SourceFiles
{
    /// <summary>src/Cadence, found above the test's bin folder.</summary>
    public static string Root { get; } = FindRoot();

    static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var server = Path.Combine(directory.FullName, "src", "Cadence");
            if (File.Exists(Path.Combine(server, "Cadence.csproj")))
            {
                return server;
            }
        }
        throw new DirectoryNotFoundException("src/Cadence is not above " + AppContext.BaseDirectory);
    }

    static readonly string[] Endings = [".cs", ".cshtml", ".js", ".css"];

    /// <summary>Each file's path below src/Cadence ('/' between folders) and its lines.</summary>
    public static IEnumerable<(string Path, string[] Lines)> All() =>
        Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(Root, path).Replace('\\', '/'))
            .Where(path => Endings.Contains(Path.GetExtension(path)) && !path.StartsWith("bin/", StringComparison.Ordinal)
                && !path.StartsWith("obj/", StringComparison.Ordinal) && !path.StartsWith("Data/Migrations/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(path => (path, File.ReadAllLines(Path.Combine(Root, path))));

    /// <summary>
    /// Each C# method, constructor or local function of a file, from its signature to its closing brace (or the last
    /// line of an expression body), blank lines and comments included. It reads the layout the style keeps (braces on
    /// their own lines, members indented evenly); a member is known by the line that names it.
    /// </summary>
    public static IEnumerable<(string Name, int Line, int Length)> Methods(string[] lines)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            var match = Signature().Match(lines[i]);
            if (!match.Success || TypeDeclaration().IsMatch(lines[i]) || lines[i][..lines[i].IndexOf('(')].Contains('='))
            {
                continue;
            }
            var indent = match.Groups["indent"].Length;
            var end = i;
            for (var j = i + 1; j < lines.Length; j++)
            {
                var text = lines[j].TrimStart();
                if (text.Length == 0)
                {
                    continue;
                }
                var at = lines[j].Length - text.Length;
                var brace = text.StartsWith('{') || text.StartsWith('}');
                if (at < indent || (at == indent && !brace))
                {
                    break;
                }
                end = j;
                if (at == indent && text.StartsWith('}'))
                {
                    break;
                }
            }
            yield return (match.Groups["name"].Value, i + 1, end - i + 1);
        }
    }

    const string Modifiers = @"(?:(?:public|private|protected|internal|static|async|override|sealed|virtual|abstract|partial|extern|unsafe|new|readonly|required|file)\s+)*";

    // Modifiers, a return type (or none: a constructor), the name, then "(": a line that starts a method.
    [GeneratedRegex(@"^(?<indent>\s+)(?=\S)" + Modifiers +
        @"(?!(?:return|await|var|new|throw|if|for|foreach|while|switch|catch|using|lock|else|case|yield|when|where|class|record|struct|interface|enum)\b)" +
        @"(?:[\w<>\[\],\.\?\(\) ]*?\w[\w<>\[\]\?,\.]*\s+)?(?<name>\w+)(?:<[^>]*>)?\s*\(")]
    private static partial Regex Signature();

    [GeneratedRegex(@"^\s*" + Modifiers + @"(class|record|struct|interface|enum)\b")]
    private static partial Regex TypeDeclaration();
}
