using System.Security.Cryptography;
using System.Text;
using Cadence.Data;

namespace Cadence.Credentials;

/// <summary>
/// Hashes secrets with HMAC-SHA-256 under a server-side pepper kept outside the database. A fast hash is
/// right for a 256-bit random secret (NIST SP 800-63B, OWASP ASVS 6.5.2); a slow password hash would cost
/// milliseconds on every request for nothing.
/// </summary>
public sealed class SecretHasher(byte[] pepper) : IPepperCheck
{
    public const int HashLength = 32;

    public byte[] Hash(ApiSecret secret)
    {
        var hash = new byte[HashLength];
        Hash(secret, hash);
        return hash;
    }

    public void Hash(ApiSecret secret, Span<byte> destination)
    {
        Span<byte> utf8 = stackalloc byte[MaxSecretBytes];
        HMACSHA256.HashData(pepper, Utf8(secret, utf8), destination);
    }

    /// <summary>An unkeyed SHA-256, for the in-memory record of a secret already verified.</summary>
    public static void Digest(ApiSecret secret, Span<byte> destination)
    {
        Span<byte> utf8 = stackalloc byte[MaxSecretBytes];
        SHA256.HashData(Utf8(secret, utf8), destination);
    }

    // Secrets reaching the hasher have passed SecretFormat.IsSecret, so they are short ASCII.
    const int MaxSecretBytes = 256;

    static ReadOnlySpan<byte> Utf8(ApiSecret secret, Span<byte> buffer)
    {
        var text = secret.Reveal();
        if (Encoding.UTF8.GetMaxByteCount(text.Length) > buffer.Length)
        {
            throw new ArgumentException("A secret is at most 64 characters.", nameof(secret));
        }
        return buffer[..Encoding.UTF8.GetBytes(text, buffer)];
    }

    /// <summary>A 256-bit key for one purpose, derived from the pepper (HKDF-SHA-256), so the pepper itself is used only for hashing.</summary>
    public byte[] DeriveKey(string purpose) => HKDF.DeriveKey(HashAlgorithmName.SHA256, pepper, 32, info: Encoding.UTF8.GetBytes(purpose));

    /// <summary>Lets a node prove it holds the same pepper as the database's creator without revealing it.</summary>
    public string PepperCheck() =>
        Convert.ToHexStringLower(HMACSHA256.HashData(pepper, "cadence pepper check"u8))[..16];

    /// <summary>
    /// The pepper comes from configuration (CADENCE_PEPPER; required for several nodes, which must share it)
    /// or else from a file in the data directory, created with owner-only permissions on first use.
    /// </summary>
    public static SecretHasher From(string? configured, string dataDirectory)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            if (configured.Length < 32)
            {
                throw new CadenceException("The pepper (CADENCE_PEPPER) must be at least 32 characters of random text.");
            }
            return new SecretHasher(SHA256.HashData(Encoding.UTF8.GetBytes(configured)));
        }
        var path = Path.Combine(dataDirectory, "pepper.key");
        if (!File.Exists(path))
        {
            Data.DataDirectory.Create(dataDirectory);
            // Written whole to a private file, then moved into place, so that no process reads a half-written pepper.
            var temporary = path + "." + Guid.NewGuid().ToString("N");
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = Data.DataDirectory.OwnerOnlyFile;
            }
            using (var file = new FileStream(temporary, options))
            {
                file.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
            }
            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary); // another process put its pepper in place first: use theirs
            }
        }
        byte[] pepper;
        try
        {
            pepper = Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
        catch (FormatException)
        {
            pepper = [];
        }
        return pepper.Length >= 32
            ? new SecretHasher(pepper)
            : throw new CadenceException($"{path} does not hold a pepper of at least 32 random bytes in base64. Restore it from a backup.");
    }
}
