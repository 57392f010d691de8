using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Cadence.Tests.Architecture;

/// <summary>
/// The server's hand-written source files (src/Cadence without the generated migrations), read from the checkout the
/// tests were built in, and a measure of their members' length by the C# parser.
/// </summary>
public static class SourceFiles
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
    /// Each C# member with a body of its own — method, constructor, operator, accessor, local function — and each
    /// initializer of a property or field, from its first line after its attributes to its last, blank lines and
    /// comments inside included; measured with the C# parser, so raw strings and layout cannot end it early.
    /// </summary>
    public static IEnumerable<(string Name, int Line, int Length)> Methods(string[] lines)
    {
        var root = CSharpSyntaxTree.ParseText(string.Join('\n', lines)).GetRoot();
        foreach (var node in root.DescendantNodes())
        {
            var (name, attributes) = node switch
            {
                MethodDeclarationSyntax m => (m.Identifier.Text, m.AttributeLists),
                ConstructorDeclarationSyntax c => (c.Identifier.Text, c.AttributeLists),
                OperatorDeclarationSyntax o => ("operator " + o.OperatorToken.Text, o.AttributeLists),
                ConversionOperatorDeclarationSyntax c => ("operator " + c.Type, c.AttributeLists),
                LocalFunctionStatementSyntax f => (f.Identifier.Text, f.AttributeLists),
                AccessorDeclarationSyntax { Body: not null } or AccessorDeclarationSyntax { ExpressionBody: not null } =>
                    ((node.Parent?.Parent as BasePropertyDeclarationSyntax) switch
                    {
                        PropertyDeclarationSyntax p => p.Identifier.Text,
                        IndexerDeclarationSyntax => "this[]",
                        EventDeclarationSyntax e => e.Identifier.Text,
                        _ => "?",
                    } + "." + ((AccessorDeclarationSyntax)node).Keyword.Text, ((AccessorDeclarationSyntax)node).AttributeLists),
                PropertyDeclarationSyntax { Initializer: not null } or PropertyDeclarationSyntax { ExpressionBody: not null } =>
                    (((PropertyDeclarationSyntax)node).Identifier.Text, ((PropertyDeclarationSyntax)node).AttributeLists),
                FieldDeclarationSyntax f when f.Declaration.Variables.Any(v => v.Initializer is not null) =>
                    (f.Declaration.Variables[0].Identifier.Text, f.AttributeLists),
                _ => (null, default(SyntaxList<AttributeListSyntax>)),
            };
            if (name is null)
            {
                continue;
            }
            var first = attributes.Count > 0 ? attributes.Last().GetLastToken().GetNextToken() : node.GetFirstToken();
            var start = first.GetLocation().GetLineSpan().StartLinePosition.Line;
            var end = node.GetLastToken().GetLocation().GetLineSpan().EndLinePosition.Line;
            yield return (name, start + 1, end - start + 1);
        }
    }
}
