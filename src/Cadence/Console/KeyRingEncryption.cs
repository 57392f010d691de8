using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Cadence.Credentials;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Cadence.Console;

/// <summary>
/// Encrypts the console's Data Protection key ring at rest: it lives in the database (every node reads the same
/// keys), so it is sealed with AES-256-GCM under a key derived from the pepper, which lives outside the database.
/// A copy of the database alone cannot forge console cookies. Keys written before this existed stay readable.
/// </summary>
public sealed class KeyRingEncryptor(SecretHasher hasher) : IXmlEncryptor
{
    internal const string Purpose = "cadence data protection key ring";
    internal const int NonceLength = 12;
    internal const int TagLength = 16;

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var sealedBytes = new byte[NonceLength + TagLength + plaintext.Length];
        var nonce = sealedBytes.AsSpan(0, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(hasher.DeriveKey(Purpose), TagLength))
        {
            aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceLength + TagLength), sealedBytes.AsSpan(NonceLength, TagLength));
        }
        var element = new XElement("encryptedKey",
            new XComment(" AES-256-GCM under a key derived from the Cadence pepper "),
            new XElement("value", Convert.ToBase64String(sealedBytes)));
        return new EncryptedXmlInfo(element, typeof(KeyRingDecryptor));
    }
}

/// <summary>Opens what <see cref="KeyRingEncryptor"/> sealed. Data Protection creates it by type, with the service provider.</summary>
public sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var sealedBytes = Convert.FromBase64String((string?)encryptedElement.Element("value")
            ?? throw new CryptographicException("The encrypted key has no value."));
        if (sealedBytes.Length < KeyRingEncryptor.NonceLength + KeyRingEncryptor.TagLength)
        {
            throw new CryptographicException("The encrypted key is too short.");
        }
        var plaintext = new byte[sealedBytes.Length - KeyRingEncryptor.NonceLength - KeyRingEncryptor.TagLength];
        using (var aes = new AesGcm(services.GetRequiredService<SecretHasher>().DeriveKey(KeyRingEncryptor.Purpose), KeyRingEncryptor.TagLength))
        {
            aes.Decrypt(sealedBytes.AsSpan(0, KeyRingEncryptor.NonceLength), sealedBytes.AsSpan(KeyRingEncryptor.NonceLength + KeyRingEncryptor.TagLength),
                sealedBytes.AsSpan(KeyRingEncryptor.NonceLength, KeyRingEncryptor.TagLength), plaintext);
        }
        return XElement.Parse(Encoding.UTF8.GetString(plaintext));
    }
}
