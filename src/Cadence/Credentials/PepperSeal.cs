using System.Security.Cryptography;
using System.Text;

namespace Cadence.Credentials;

/// <summary>
/// Seals text that Cadence must read back (webhook signing secrets, the console's key ring) with AES-256-GCM under a
/// key derived from the pepper for one purpose, so a copy of the database alone opens nothing. The stored form is
/// the base64 of nonce (12 bytes), tag (16 bytes) and ciphertext, in that order; values already in databases were
/// written in it, so it must not change.
/// </summary>
public sealed class PepperSeal(SecretHasher hasher, string purpose)
{
    const int NonceLength = 12;
    const int TagLength = 16;

    public string Seal(string plaintext)
    {
        var plainBytes = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[NonceLength + TagLength + plainBytes.Length];
        var nonce = sealedBytes.AsSpan(0, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(hasher.DeriveKey(purpose), TagLength);
        aes.Encrypt(nonce, plainBytes, sealedBytes.AsSpan(NonceLength + TagLength), sealedBytes.AsSpan(NonceLength, TagLength));
        return Convert.ToBase64String(sealedBytes);
    }

    /// <exception cref="CryptographicException">The value is too short, or was not sealed under this pepper and purpose.</exception>
    public string Open(string sealedText)
    {
        var sealedBytes = Convert.FromBase64String(sealedText);
        if (sealedBytes.Length < NonceLength + TagLength)
        {
            throw new CryptographicException("The sealed value is too short.");
        }
        var plainBytes = new byte[sealedBytes.Length - NonceLength - TagLength];
        using var aes = new AesGcm(hasher.DeriveKey(purpose), TagLength);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceLength), sealedBytes.AsSpan(NonceLength + TagLength), sealedBytes.AsSpan(NonceLength, TagLength), plainBytes);
        return Encoding.UTF8.GetString(plainBytes);
    }
}
