using System.Security.Cryptography;
using System.Xml.Linq;
using Cadence.Credentials;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Cadence.Console;

/// <summary>
/// Encrypts the console's Data Protection key ring at rest: it lives in the database (every node reads the same
/// keys), so it is sealed (<see cref="PepperSeal"/>) under a key derived from the pepper, which lives outside the
/// database. A copy of the database alone cannot forge console cookies. Keys written before this existed stay readable.
/// </summary>
public sealed class KeyRingEncryptor(SecretHasher hasher) : IXmlEncryptor
{
    internal const string Purpose = "cadence data protection key ring";
    readonly PepperSeal seal = new(hasher, Purpose);

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var element = new XElement("encryptedKey",
            new XComment(" AES-256-GCM under a key derived from the Cadence pepper "),
            new XElement("value", seal.Seal(plaintextElement.ToString(SaveOptions.DisableFormatting))));
        return new EncryptedXmlInfo(element, typeof(KeyRingDecryptor));
    }
}

/// <summary>Opens what <see cref="KeyRingEncryptor"/> sealed. Data Protection creates it by type, with the service provider.</summary>
public sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var sealedText = (string?)encryptedElement.Element("value")
            ?? throw new CryptographicException("The encrypted key has no value.");
        var seal = new PepperSeal(services.GetRequiredService<SecretHasher>(), KeyRingEncryptor.Purpose);
        return XElement.Parse(seal.Open(sealedText));
    }
}
