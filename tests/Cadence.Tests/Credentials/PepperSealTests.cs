using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Cadence.Console;
using Cadence.Credentials;
using Cadence.Webhooks;

namespace Cadence.Tests.Credentials;

/// <summary>
/// Webhook secrets and the console's key ring share one sealing helper; values sealed before it existed are in
/// databases and must still open. The fixed values below were sealed outside .NET (Python's cryptography: HKDF-SHA-256
/// of the pepper bytes 0..31, AES-256-GCM, nonce 12 times 0x07) in the stored form: base64 of nonce, tag, ciphertext.
/// </summary>
public sealed class PepperSealTests
{
    static readonly SecretHasher Hasher = new([.. Enumerable.Range(0, 32).Select(i => (byte)i)]);
    const string WebhookSecret = "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    const string WebhookSealedBefore = "BwcHBwcHBwcHBwcHiWY9RikCeR+Ogt4rmbE3ETGRBFDY/Fnfps3kqBFHjh/A+ewQsq5E0pQ+N66f/CD6K3N+t83NrVm8eOPicPUwH0G0";
    const string KeySealedBefore = "BwcHBwcHBwcHBwcHmMPl6d1ezVE+YmZkMmKGIceLLRhzmuH/L/u9DNjQ";

    [Fact]
    public void WebhookSecretSealedInTheStoredFormStillOpens() =>
        Assert.Equal(WebhookSecret, new WebhookSecrets(Hasher).Open(WebhookSealedBefore));

    [Fact]
    public void WebhookSecretSealedByTheOldCodeStillOpens()
    {
        var secret = WebhookSecrets.New();
        Assert.Equal(secret, new WebhookSecrets(Hasher).Open(OldSeal("cadence webhook signing secrets", secret)));
    }

    [Fact]
    public void KeyRingKeySealedInTheStoredFormStillOpens() =>
        Assert.Equal("""<key id="1" />""", Decryptor().Decrypt(Encrypted(KeySealedBefore)).ToString());

    [Fact]
    public void KeyRingKeySealedByTheOldCodeStillOpens()
    {
        var key = """<key id="2"><secret>abc</secret></key>""";
        Assert.Equal(key, Decryptor().Decrypt(Encrypted(OldSeal("cadence data protection key ring", key))).ToString(SaveOptions.DisableFormatting));
    }

    [Fact]
    public void KeyRingEncryptorAndDecryptorRoundTrip()
    {
        var key = XElement.Parse("""<key id="3"><secret>xyz</secret></key>""");
        var info = new KeyRingEncryptor(Hasher).Encrypt(key);
        Assert.Equal(key.ToString(), Decryptor().Decrypt(info.EncryptedElement).ToString());
    }

    [Fact]
    public void ValueSealedForOnePurposeDoesNotOpenForAnother()
    {
        var sealedText = new PepperSeal(Hasher, "one purpose").Seal("text");
        Assert.ThrowsAny<CryptographicException>(() => new PepperSeal(Hasher, "another purpose").Open(sealedText));
    }

    [Fact]
    public void TooShortValueIsACryptographicError() =>
        Assert.Throws<CryptographicException>(() => new PepperSeal(Hasher, "p").Open(Convert.ToBase64String(new byte[27])));

    static KeyRingDecryptor Decryptor() =>
        new(new ServiceCollection().AddSingleton(Hasher).BuildServiceProvider());

    static XElement Encrypted(string sealedText) => new("encryptedKey", new XElement("value", sealedText));

    /// <summary>The sealing both classes wrote by hand before <see cref="PepperSeal"/>, kept verbatim.</summary>
    static string OldSeal(string purpose, string text)
    {
        const int NonceLength = 12, TagLength = 16;
        var plaintext = Encoding.UTF8.GetBytes(text);
        var sealedBytes = new byte[NonceLength + TagLength + plaintext.Length];
        RandomNumberGenerator.Fill(sealedBytes.AsSpan(0, NonceLength));
        using var aes = new AesGcm(Hasher.DeriveKey(purpose), TagLength);
        aes.Encrypt(sealedBytes.AsSpan(0, NonceLength), plaintext, sealedBytes.AsSpan(NonceLength + TagLength), sealedBytes.AsSpan(NonceLength, TagLength));
        return Convert.ToBase64String(sealedBytes);
    }
}
