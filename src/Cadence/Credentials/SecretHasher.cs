using System.Security.Cryptography;
using System.Text;

namespace Cadence.Credentials;

/// <summary>
/// Hashes secrets with HMAC-SHA-256 under a server-side pepper kept outside the database. A fast hash is
/// right for a 256-bit random secret (NIST SP 800-63B, OWASP ASVS 6.5.2); a slow password hash would cost
/// milliseconds on every request for nothing.
/// </summary>
public sealed class SecretHasher(byte[] pepper)
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
        var text = secret.Reveal();
        Span<byte> utf8 = text.Length <= 256 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(text.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(text.Length)];
        var length = Encoding.UTF8.GetBytes(text, utf8);
        HMACSHA256.HashData(pepper, utf8[..length], destination);
    }

    /// <summary>Lets a node prove it holds the same pepper as the database's creator without revealing it.</summary>
    public string PepperCheck() =>
        Convert.ToHexStringLower(HMACSHA256.HashData(pepper, "cadence pepper check"u8))[..16];

    /// <summary>
    /// The pepper comes from configuration (CADENCE_PEPPER; required for several nodes, which must share it)
    /// or else from a file in the data directory, created with owner-only permissions on first use.
    /// </summary>
    public static SecretHasher FromSettings(CadenceSettings settings)
    {
        if (!string.IsNullOrEmpty(settings.Pepper))
        {
            if (settings.Pepper.Length < 32)
            {
                throw new CadenceException("The pepper (CADENCE_PEPPER) must be at least 32 characters of random text.");
            }
            return new SecretHasher(SHA256.HashData(Encoding.UTF8.GetBytes(settings.Pepper)));
        }
        var path = Path.Combine(settings.DataDirectory, "pepper.key");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(settings.DataDirectory);
            var fresh = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }
                using var file = new FileStream(path, options);
                file.Write(Encoding.ASCII.GetBytes(fresh));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first; use theirs.
            }
        }
        var pepper = Convert.FromBase64String(File.ReadAllText(path).Trim());
        return new SecretHasher(pepper);
    }
}
