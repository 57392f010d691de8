using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace Cadence.Credentials;

/// <summary>
/// The shape of keys and secrets. Distinct fixed prefixes and a CRC32 checksum let a scanner
/// recognise a real Cadence secret in a file or a log without asking the server (as GitHub's tokens do).
/// </summary>
public static partial class SecretFormat
{
    public const string KeyPrefix = "cdk_";
    public const string SecretPrefix = "cds_";
    const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    const int KeyRandomLength = 24;
    // 43 base62 characters carry 256.03 bits: the secret has at least 256 bits from the CSPRNG.
    const int SecretRandomLength = 43;
    const int ChecksumLength = 6;
    public const int KeyLength = 4 + KeyRandomLength;
    public const int SecretLength = 4 + SecretRandomLength + ChecksumLength;

    public static string NewKey() => KeyPrefix + RandomNumberGenerator.GetString(Base62, KeyRandomLength);

    public static ApiSecret NewSecret()
    {
        var body = SecretPrefix + RandomNumberGenerator.GetString(Base62, SecretRandomLength);
        return new ApiSecret(body + Checksum(body));
    }

    public static bool IsKey(ReadOnlySpan<char> key) =>
        key.Length == KeyLength && key.StartsWith(KeyPrefix) && IsBase62(key[KeyPrefix.Length..]);

    /// <summary>True when the text has the secret's prefix, length, alphabet and a matching checksum.</summary>
    public static bool IsSecret(ReadOnlySpan<char> text)
    {
        if (text.Length != SecretLength || !text.StartsWith(SecretPrefix) || !IsBase62(text[SecretPrefix.Length..]))
        {
            return false;
        }
        Span<char> expected = stackalloc char[ChecksumLength];
        WriteChecksum(text[..^ChecksumLength], expected);
        return text[^ChecksumLength..].SequenceEqual(expected);
    }

    /// <summary>Replaces anything shaped like a Cadence secret, so that a client's mistake cannot put one in a log.</summary>
    public static string Scrub(string text) =>
        text.Contains(SecretPrefix, StringComparison.Ordinal) ? SecretPattern().Replace(text, SecretPrefix + "[REDACTED]") : text;

    public static bool ContainsSecret(string? text) =>
        text is not null && text.Contains(SecretPrefix, StringComparison.Ordinal) && SecretPattern().IsMatch(text);

    [System.Text.RegularExpressions.GeneratedRegex("cds_[0-9A-Za-z]{49}")]
    private static partial System.Text.RegularExpressions.Regex SecretPattern();

    static string Checksum(ReadOnlySpan<char> body)
    {
        Span<char> digits = stackalloc char[ChecksumLength];
        WriteChecksum(body, digits);
        return new string(digits);
    }

    /// <summary>CRC32 of the prefix and random part, as six base62 digits (62^6 > 2^32).</summary>
    static void WriteChecksum(ReadOnlySpan<char> body, Span<char> digits)
    {
        Span<byte> bytes = stackalloc byte[body.Length];
        Encoding.ASCII.GetBytes(body, bytes);
        var crc = Crc32.HashToUInt32(bytes);
        for (var i = ChecksumLength - 1; i >= 0; i--)
        {
            digits[i] = Base62[(int)(crc % 62)];
            crc /= 62;
        }
    }

    static bool IsBase62(ReadOnlySpan<char> text) => !text.ContainsAnyExcept(Base62Values);

    static readonly System.Buffers.SearchValues<char> Base62Values = System.Buffers.SearchValues.Create(Base62);
}
