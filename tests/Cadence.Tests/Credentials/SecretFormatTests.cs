using System.Text;
using Cadence.Credentials;

namespace Cadence.Tests.Credentials;

public sealed class SecretFormatTests
{
    const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    [Fact]
    public void KeysAndSecretsHaveDistinctFixedPrefixes()
    {
        var key = SecretFormat.NewKey();
        var secret = SecretFormat.NewSecret().Reveal();

        Assert.Matches("^cdk_[0-9A-Za-z]{24}$", key);
        Assert.Matches("^cds_[0-9A-Za-z]{49}$", secret);
        Assert.True(SecretFormat.IsKey(key));
        Assert.False(SecretFormat.IsSecret(key));
        Assert.False(SecretFormat.IsKey(secret));
    }

    [Fact]
    public void ASecretCarriesAtLeast256RandomBits()
    {
        // 43 random base62 characters before the 6-character checksum.
        Assert.True(43 * Math.Log2(62) >= 256);
        var secrets = Enumerable.Range(0, 1000).Select(_ => SecretFormat.NewSecret().Reveal()[4..47]).ToHashSet();
        Assert.Equal(1000, secrets.Count);
        var characters = string.Concat(secrets);
        Assert.Equal(62, characters.Distinct().Count());
    }

    [Fact]
    public void TheChecksumIsStandardCrc32InSixBase62Digits()
    {
        // What a third-party scanner would compute, written independently of SecretFormat.
        var secret = SecretFormat.NewSecret().Reveal();
        var crc = 0xFFFFFFFFu;
        foreach (var b in Encoding.ASCII.GetBytes(secret[..^6]))
        {
            crc ^= b;
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }
        crc ^= 0xFFFFFFFFu;
        var digits = new char[6];
        for (var i = 5; i >= 0; i--)
        {
            digits[i] = Base62[(int)(crc % 62)];
            crc /= 62;
        }

        Assert.Equal(new string(digits), secret[^6..]);
    }

    [Fact]
    public void AnyChangedCharacterBreaksTheChecksum()
    {
        var secret = SecretFormat.NewSecret().Reveal();
        for (var i = 4; i < secret.Length; i++)
        {
            var changed = secret[..i] + (secret[i] == 'a' ? 'b' : 'a') + secret[(i + 1)..];
            Assert.False(SecretFormat.IsSecret(changed), $"changing position {i} went unnoticed");
        }
    }

    [Fact]
    public void ScrubRemovesSecretsFromText()
    {
        var secret = SecretFormat.NewSecret().Reveal();

        var scrubbed = SecretFormat.Scrub($"GET /v2/teams?secret={secret}&x=1");

        Assert.Equal("GET /v2/teams?secret=cds_[REDACTED]&x=1", scrubbed);
    }
}
