using System.Security.Cryptography;
using Cadence.Credentials;
using Cadence.Data;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Authentication;

/// <summary>
/// Checks a presented key and secret. Known credentials come from <see cref="CredentialCache"/>; only a
/// key this node has not seen (or whose cache entry a change evicted) costs a database read.
/// </summary>
public sealed class CredentialVerifier(CredentialCache cache, SecretHasher hasher, TimeProvider time, IServiceScopeFactory scopes, CadenceSettings settings)
{
    /// <summary>
    /// The credential when the secret is right and the credential usable, with the time until which that holds
    /// (its expiry, or the end of an old secret's grace period); otherwise throws <see cref="CredentialRejected"/>.
    /// </summary>
    public async ValueTask<(CredentialSnapshot Credential, DateTime? GoodUntil)> VerifyAsync(string key, ApiSecret secret, CancellationToken cancellationToken)
    {
        // Checking the shape first turns away garbage and typos without touching the database.
        if (!SecretFormat.IsKey(key) || !SecretFormat.IsSecret(secret.Reveal()))
        {
            throw CredentialRejected.Invalid;
        }
        var fromCache = cache.TryGet(key, out var credential);
        if (!fromCache)
        {
            credential = await LoadAsync(key, cancellationToken);
        }
        var match = Match(credential, secret);
        if (match == SecretMatch.None && fromCache)
        {
            // The secret may have been rolled by another node or the CLI a moment ago: look once more
            // before refusing, so a fresh secret works at once everywhere. Failures are throttled per address.
            credential = await LoadAsync(key, cancellationToken);
            match = Match(credential, secret);
        }
        if (match == SecretMatch.None)
        {
            throw CredentialRejected.Invalid;
        }
        var now = time.GetUtcNow().UtcDateTime;
        if (match == SecretMatch.Previous && !(now < credential!.PreviousSecretExpiresAt))
        {
            throw CredentialRejected.Superseded(credential.RolledAt);
        }
        // Only a holder of the right secret learns that the credential was revoked or has expired.
        if (credential!.RevokedAt is { } revokedAt)
        {
            throw CredentialRejected.Revoked(revokedAt);
        }
        if (credential.ExpiresAt is { } expiresAt && expiresAt <= now)
        {
            throw CredentialRejected.Expired(expiresAt);
        }
        return (credential, match == SecretMatch.Previous ? Credential.OldSecretWorksUntil(credential.PreviousSecretExpiresAt, credential.ExpiresAt) : credential.ExpiresAt);
    }

    enum SecretMatch { None, Current, Previous }

    SecretMatch Match(CredentialSnapshot? credential, ApiSecret secret)
    {
        if (credential is null)
        {
            return SecretMatch.None;
        }
        // A plain SHA-256 of a secret already verified once is remembered (in memory only) and checked first:
        // it costs a fifth of the keyed hash, and for a 256-bit random secret it is just as one-way.
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SecretHasher.Digest(secret, digest);
        if (credential.VerifiedDigest is { } verified && CryptographicOperations.FixedTimeEquals(digest, verified))
        {
            return SecretMatch.Current;
        }
        Span<byte> hash = stackalloc byte[SecretHasher.HashLength];
        hasher.Hash(secret, hash);
        if (CryptographicOperations.FixedTimeEquals(hash, credential.SecretHash))
        {
            credential.VerifiedDigest = digest.ToArray();
            return SecretMatch.Current;
        }
        return credential.PreviousSecretHash is { } previous && CryptographicOperations.FixedTimeEquals(hash, previous)
            ? SecretMatch.Previous
            : SecretMatch.None;
    }

    async Task<CredentialSnapshot?> LoadAsync(string key, CancellationToken cancellationToken)
    {
        var generation = cache.Generation;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CadenceDb>();
        var credential = await db.Credentials.AsNoTracking().Include(c => c.Teams).ThenInclude(t => t.Team)
            .SingleOrDefaultAsync(c => c.Key == key, cancellationToken);
        if (credential is null)
        {
            return null;
        }
        var snapshot = CredentialSnapshot.From(credential, settings.DefaultRateLimit);
        cache.Add(snapshot, generation);
        return snapshot;
    }
}
