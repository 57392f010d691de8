using System.Text;
using Cadence.Credentials;
using Microsoft.Extensions.Primitives;

namespace Cadence.Authentication;

/// <summary>Reads the key and secret a request presents, from HTTP Basic or the X-Api-Key/X-Api-Secret pair.</summary>
public static class PresentedCredential
{
    // Far above a real key:secret pair; keeps decoding cheap for hostile input.
    const int MaxHeaderLength = 512;
    static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>Null when the request carries no credential at all.</summary>
    public static (string Key, ApiSecret Secret)? Read(IHeaderDictionary headers)
    {
        var authorization = headers.Authorization;
        if (authorization.Count > 0)
        {
            return ReadBasic(authorization);
        }
        var key = headers[ApiKeyDefaults.KeyHeader];
        var secret = headers[ApiKeyDefaults.SecretHeader];
        if (key.Count == 0 && secret.Count == 0)
        {
            return null;
        }
        if (key.Count != 1 || secret.Count != 1 || string.IsNullOrEmpty(key[0]) || string.IsNullOrEmpty(secret[0]))
        {
            throw CredentialRejected.Malformed($"Send exactly one {ApiKeyDefaults.KeyHeader} and one {ApiKeyDefaults.SecretHeader} header, neither empty.");
        }
        if (key[0]!.Length > MaxHeaderLength || secret[0]!.Length > MaxHeaderLength)
        {
            throw CredentialRejected.Malformed("The credential headers are too long to be a Cadence key and secret.");
        }
        return (key[0]!.Trim(), new ApiSecret(secret[0]!.Trim()));
    }

    static (string, ApiSecret) ReadBasic(StringValues authorization)
    {
        var value = authorization.Count == 1 ? authorization[0].AsSpan().Trim() : [];
        if (!value.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            throw CredentialRejected.Malformed("Use HTTP Basic authentication: Authorization: Basic base64(key:secret).");
        }
        var encoded = value["Basic ".Length..].Trim();
        if (encoded.Length > MaxHeaderLength)
        {
            throw CredentialRejected.Malformed("The Authorization header is too long to hold a Cadence key and secret.");
        }
        Span<byte> bytes = stackalloc byte[MaxHeaderLength];
        if (!Convert.TryFromBase64Chars(encoded, bytes, out var length))
        {
            throw CredentialRejected.Malformed("The Authorization header is not valid base64 of key:secret.");
        }
        string decoded;
        try
        {
            decoded = StrictUtf8.GetString(bytes[..length]);
        }
        catch (DecoderFallbackException)
        {
            throw CredentialRejected.Malformed("The Authorization header does not decode to UTF-8 text.");
        }
        var colon = decoded.IndexOf(':');
        if (colon <= 0 || colon == decoded.Length - 1)
        {
            throw CredentialRejected.Malformed("The Authorization header must hold key:secret, with neither part empty.");
        }
        // Keys and secrets hold no whitespace: a newline read from a file with the secret is forgiven, as with X-Api-Secret.
        return (decoded[..colon].Trim(), new ApiSecret(decoded[(colon + 1)..].Trim()));
    }
}
