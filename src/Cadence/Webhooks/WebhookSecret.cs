using System.Security.Cryptography;
using System.Text;
using Cadence.Credentials;

namespace Cadence.Webhooks;

/// <summary>
/// Signing secrets: "whsec_" and the base64 of 32 random bytes, as Standard Webhooks writes them. Cadence must read
/// them back to sign, so they are sealed (AES-256-GCM under a key derived from the pepper, as the console's key ring
/// is) rather than hashed: a copy of the database alone does not let anyone forge deliveries.
/// </summary>
public sealed class WebhookSecrets(SecretHasher hasher)
{
    const string Purpose = "cadence webhook signing secrets";
    const int NonceLength = 12;
    const int TagLength = 16;
    public const string Prefix = "whsec_";

    public static string New() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string Seal(string secret)
    {
        var plaintext = Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[NonceLength + TagLength + plaintext.Length];
        RandomNumberGenerator.Fill(sealedBytes.AsSpan(0, NonceLength));
        using var aes = new AesGcm(hasher.DeriveKey(Purpose), TagLength);
        aes.Encrypt(sealedBytes.AsSpan(0, NonceLength), plaintext, sealedBytes.AsSpan(NonceLength + TagLength), sealedBytes.AsSpan(NonceLength, TagLength));
        return Convert.ToBase64String(sealedBytes);
    }

    public string Open(string sealedText)
    {
        var sealedBytes = Convert.FromBase64String(sealedText);
        var plaintext = new byte[sealedBytes.Length - NonceLength - TagLength];
        using var aes = new AesGcm(hasher.DeriveKey(Purpose), TagLength);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceLength), sealedBytes.AsSpan(NonceLength + TagLength), sealedBytes.AsSpan(NonceLength, TagLength), plaintext);
        return Encoding.UTF8.GetString(plaintext);
    }
}
