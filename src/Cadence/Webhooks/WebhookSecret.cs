using System.Security.Cryptography;
using Cadence.Credentials;

namespace Cadence.Webhooks;

/// <summary>
/// Signing secrets: "whsec_" and the base64 of 32 random bytes, as Standard Webhooks writes them. Cadence must read
/// them back to sign, so they are sealed (<see cref="PepperSeal"/>, as the console's key ring is) rather than hashed:
/// a copy of the database alone does not let anyone forge deliveries.
/// </summary>
public sealed class WebhookSecrets(SecretHasher hasher)
{
    public const string Prefix = "whsec_";
    readonly PepperSeal seal = new(hasher, "cadence webhook signing secrets");

    public static string New() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string Seal(string secret) => seal.Seal(secret);

    public string Open(string sealedText) => seal.Open(sealedText);
}
