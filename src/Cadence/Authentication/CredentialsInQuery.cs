using System.Buffers;
using System.Text;
using Cadence.Credentials;

namespace Cadence.Authentication;

/// <summary>
/// Finds a credential sent in the query string, where it ends up in logs, proxies and browser history: by a
/// parameter name that means one (<c>api_key</c>, <c>secret</c>, …), or by text shaped like a Cadence key or
/// secret anywhere in a name or value, raw, URL-encoded, or inside base64 (standard or URL-safe, padded or not),
/// which is how <c>?auth=base64(key:secret)</c> hides it. A request without a query string costs one check.
/// </summary>
public static class CredentialsInQuery
{
    static readonly string[] Names =
        ["key", "secret", "api_key", "apikey", "api_secret", "apisecret", "x-api-key", "x-api-secret", "access_token", "password"];

    const int KeyBody = SecretFormat.KeyLength - 4;
    const int SecretBody = SecretFormat.SecretLength - 4;
    // base64 of a lone key (28 bytes) is 38 characters unpadded: shorter runs cannot hide one.
    const int ShortestBase64 = (SecretFormat.KeyLength * 4 + 2) / 3;

    public static bool Found(HttpRequest request)
    {
        var raw = request.QueryString.Value;
        if (string.IsNullOrEmpty(raw))
        {
            return false;
        }
        foreach (var (name, values) in request.Query)
        {
            if (Names.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                return true;
            }
            foreach (var value in values)
            {
                if (value is not null && value.StartsWith(SecretFormat.KeyPrefix, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }
        // The parsed names and values turn '+' into a space, which breaks standard base64; the raw text, unescaped
        // without that rule, keeps it. Both the raw and the unescaped text are searched (a value may be escaped twice).
        return Suspicious(raw) || Suspicious(Unescape(raw));
    }

    static string Unescape(string raw)
    {
        try
        {
            return Uri.UnescapeDataString(raw);
        }
        catch (UriFormatException)
        {
            return raw;
        }
    }

    /// <summary>True when the text holds a key or secret, as is or inside a base64 run.</summary>
    public static bool Suspicious(ReadOnlySpan<char> text)
    {
        if (HasShape(text))
        {
            return true;
        }
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inRun = i < text.Length && IsBase64Char(text[i]);
            if (inRun && start < 0)
            {
                start = i;
            }
            else if (!inRun && start >= 0)
            {
                if (i - start >= ShortestBase64 && HidesCredential(text[start..i]))
                {
                    return true;
                }
                start = -1;
            }
        }
        return false;
    }

    /// <summary>Decodes a run at each of the four alignments (it may begin mid-group) and searches what it holds.</summary>
    static bool HidesCredential(ReadOnlySpan<char> run)
    {
        var chars = ArrayPool<char>.Shared.Rent(run.Length + 3);
        var bytes = ArrayPool<byte>.Shared.Rent(run.Length);
        try
        {
            for (var offset = 0; offset < 4 && run.Length - offset >= ShortestBase64; offset++)
            {
                var part = run[offset..];
                // Padding is optional (and '=' separates query values anyway): put it back; a lone last character holds no byte.
                var length = part.Length % 4 == 1 ? part.Length - 1 : part.Length;
                for (var i = 0; i < length; i++)
                {
                    // URL-safe base64 uses '-' and '_' where the standard one uses '+' and '/'.
                    chars[i] = part[i] switch { '-' => '+', '_' => '/', var c => c };
                }
                while (length % 4 != 0)
                {
                    chars[length++] = '=';
                }
                if (Convert.TryFromBase64Chars(chars.AsSpan(0, length), bytes, out var written) &&
                    (bytes.AsSpan(0, written).IndexOf("cdk_"u8) >= 0 || bytes.AsSpan(0, written).IndexOf("cds_"u8) >= 0) &&
                    HasShape(Encoding.Latin1.GetString(bytes, 0, written)))
                {
                    return true;
                }
            }
            return false;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>A key's prefix and 24 base62 characters, or a secret's prefix and 49.</summary>
    static bool HasShape(ReadOnlySpan<char> text) =>
        HasRun(text, SecretFormat.KeyPrefix, KeyBody) || HasRun(text, SecretFormat.SecretPrefix, SecretBody);

    static bool HasRun(ReadOnlySpan<char> text, string prefix, int body)
    {
        for (var at = text.IndexOf(prefix, StringComparison.Ordinal); at >= 0;)
        {
            var rest = text[(at + prefix.Length)..];
            var run = rest.IndexOfAnyExcept(Base62);
            if ((run < 0 ? rest.Length : run) >= body)
            {
                return true;
            }
            var next = rest.IndexOf(prefix, StringComparison.Ordinal);
            at = next < 0 ? -1 : at + prefix.Length + next;
        }
        return false;
    }

    static bool IsBase64Char(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '-' or '_';

    static readonly SearchValues<char> Base62 = SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
}
