using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Cadence.Credentials;

/// <summary>A Cadence secret found in a file: where (line and column count from 1; the column counts bytes).</summary>
public sealed record FoundSecret(string Path, long Line, long Column, ApiSecret Secret);

/// <summary>
/// Finds Cadence secrets in files and folders, as a secret scanner would: the prefix, the length, the
/// alphabet, a boundary on each side and a matching checksum, so random text is not reported. Files are read
/// in chunks, so a log of any size or a binary file costs a little memory; hidden files (.env) are included,
/// symbolic links are not followed.
/// </summary>
public static partial class SecretScanner
{
    const int ChunkSize = 1 << 20;

    static readonly SearchValues<char> Base62 = SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    [GeneratedRegex("cds_[0-9A-Za-z]{49}")]
    private static partial Regex Candidate();

    /// <summary>The files a scan of these paths reads; throws when a path does not exist.</summary>
    public static IEnumerable<string> Files(IEnumerable<string> paths)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                if (CanHoldSecret(path))
                {
                    yield return path;
                }
            }
            else if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path, "*", options).Where(CanHoldSecret).Order(StringComparer.Ordinal))
                {
                    yield return file;
                }
            }
            else
            {
                throw new CadenceException($"There is no file or folder '{path}'.");
            }
        }
    }

    // Named pipes, sockets and devices report no length (opening a pipe would wait forever); a shorter file cannot hold a secret.
    static bool CanHoldSecret(string file) => new FileInfo(file).Length >= SecretFormat.SecretLength;

    public static async IAsyncEnumerable<FoundSecret> ScanAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Latin-1 maps each byte to one char, so any file reads without decoding errors and offsets are bytes.
        using var reader = new StreamReader(path, Encoding.Latin1, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
        var buffer = new char[ChunkSize + SecretFormat.SecretLength];
        var length = 0;
        var before = '\n';
        long line = 1, column = 1;
        var found = new List<FoundSecret>();
        while (true)
        {
            var read = await reader.ReadBlockAsync(buffer.AsMemory(length, ChunkSize), cancellationToken);
            length += read;
            var last = read == 0;
            // Text near the end waits for the next chunk unless the file is done: a secret may continue there.
            var settled = last ? length : Math.Max(0, length - SecretFormat.SecretLength);
            found.Clear();
            Scan(path, buffer.AsSpan(0, length), settled, before, ref line, ref column, found);
            foreach (var secret in found)
            {
                yield return secret;
            }
            if (last)
            {
                yield break;
            }
            if (settled > 0)
            {
                before = buffer[settled - 1];
            }
            buffer.AsSpan(settled, length - settled).CopyTo(buffer);
            length -= settled;
        }
    }

    /// <summary>Finds the secrets that start before <paramref name="settled"/>, and counts lines up to there.</summary>
    static void Scan(string path, ReadOnlySpan<char> text, int settled, char before, ref long line, ref long column, List<FoundSecret> found)
    {
        var cursor = 0;
        foreach (var match in Candidate().EnumerateMatches(text))
        {
            if (match.Index >= settled)
            {
                break;
            }
            var end = match.Index + match.Length;
            var left = match.Index == 0 ? before : text[match.Index - 1];
            var right = end < text.Length ? text[end] : '\n';
            var candidate = text.Slice(match.Index, match.Length);
            if (Base62.Contains(left) || left == '_' || Base62.Contains(right) || !SecretFormat.IsSecret(candidate))
            {
                continue;
            }
            Advance(text[cursor..match.Index], ref line, ref column);
            cursor = match.Index;
            found.Add(new FoundSecret(path, line, column, new ApiSecret(new string(candidate))));
        }
        Advance(text[cursor..settled], ref line, ref column);
    }

    static void Advance(ReadOnlySpan<char> text, ref long line, ref long column)
    {
        var newlines = text.Count('\n');
        if (newlines == 0)
        {
            column += text.Length;
            return;
        }
        line += newlines;
        column = text.Length - text.LastIndexOf('\n');
    }
}
