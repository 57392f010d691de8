using System.Text;
using Cadence.Credentials;

namespace Cadence.Tests.Credentials;

/// <summary>The scanner reads files in 1 MiB chunks; a secret anywhere, across a chunk's edge too, is found once, at the right line and column.</summary>
public sealed class SecretScannerTests : IDisposable
{
    readonly string folder = Path.Combine(Path.GetTempPath(), "cadence-scanner-" + Guid.NewGuid().ToString("N"));

    public SecretScannerTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    async Task<List<FoundSecret>> ScanAsync(string text)
    {
        var path = Path.Combine(folder, Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(path, text, new UTF8Encoding(false), TestContext.Current.CancellationToken);
        var found = new List<FoundSecret>();
        await foreach (var secret in SecretScanner.ScanAsync(path, TestContext.Current.CancellationToken))
        {
            found.Add(secret);
        }
        return found;
    }

    static string Secret() => SecretFormat.NewSecret().Reveal();

    [Theory]
    [InlineData(-60)]
    [InlineData(-53)]
    [InlineData(-30)]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(1)]
    public async Task ASecretAcrossTheEdgeOfAChunkIsFoundOnce(int offsetFromEdge)
    {
        var secret = Secret();
        var start = (1 << 20) + offsetFromEdge;
        var padding = new StringBuilder();
        var line = 1;
        while (padding.Length < start - 100)
        {
            padding.Append(new string('.', 99)).Append('\n');
            line++;
        }
        var column = start - padding.Length + 1;
        padding.Append(' ', start - padding.Length);

        var found = await ScanAsync(padding + secret + " tail\n");

        var only = Assert.Single(found);
        Assert.Equal(secret, only.Secret.Reveal());
        Assert.Equal(line, only.Line);
        Assert.Equal(column, only.Column);
    }

    [Fact]
    public async Task SecretsAtTheVeryStartAndEndOfAFileAreFound()
    {
        var (first, last) = (Secret(), Secret());

        var found = await ScanAsync(first + "\r\nmiddle\r\n" + last);

        Assert.Equal([first, last], found.Select(f => f.Secret.Reveal()));
        Assert.Equal([(1L, 1L), (3L, 1L)], found.Select(f => (f.Line, f.Column)));
    }

    [Fact]
    public async Task OnlyWholeWordsWithAValidChecksumCount()
    {
        var secret = Secret();
        var text = $"a{secret}\n{secret}b\n_{secret}\n{secret[..^1]}{(secret[^1] == 'x' ? 'y' : 'x')}\n\"{secret}\"";

        var found = await ScanAsync(text);

        var only = Assert.Single(found);
        Assert.Equal((5L, 2L), (only.Line, only.Column));
    }

    [Fact]
    public async Task ManySecretsInABigFileAreEachFoundWhereTheyAre()
    {
        var text = new StringBuilder();
        var expected = new List<(string, long)>();
        for (var line = 1; line <= 60_000; line++)
        {
            if (line % 997 == 0)
            {
                var secret = Secret();
                expected.Add((secret, line));
                text.Append("token=").Append(secret).Append('\n');
            }
            else
            {
                text.Append("an ordinary log line with nothing secret in it at all\n");
            }
        }

        var found = await ScanAsync(text.ToString());

        Assert.True(text.Length > 3 << 20);
        Assert.Equal(expected, found.Select(f => (f.Secret.Reveal(), f.Line)));
        Assert.All(found, f => Assert.Equal(7, f.Column));
    }

    [Fact]
    public void FoldersAreSearchedThroughHiddenFilesIncludedPipesAndTinyFilesSkippedAndAMissingPathIsAnError()
    {
        Directory.CreateDirectory(Path.Combine(folder, "a", ".hidden"));
        File.WriteAllText(Path.Combine(folder, "a", ".hidden", ".env"), new string('x', 100));
        File.WriteAllText(Path.Combine(folder, "top.txt"), new string('x', 100));
        // Too short to hold a secret, like a named pipe or a device (which report no length): not opened.
        File.WriteAllText(Path.Combine(folder, "short.txt"), "cds_");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", Path.Combine(folder, "pipe")))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var files = SecretScanner.Files([folder]).Select(f => Path.GetRelativePath(folder, f)).ToList();

        Assert.Equal([Path.Combine("a", ".hidden", ".env"), "top.txt"], files);
        Assert.Throws<CadenceException>(() => SecretScanner.Files([Path.Combine(folder, "missing")]).ToList());
    }
}
