using System.Security.Cryptography;
using Cadence.Credentials;
using Cadence.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cadence.Authentication;

/// <summary>
/// Checks a presented key and secret. Known credentials come from <see cref="CredentialCache"/>; only a
/// key this node has not seen (or whose cache entry a change evicted) costs a database read.
/// </summary>
public sealed class CredentialVerifier(CredentialCache cache, SecretHasher hasher, TimeProvider time, IServiceScopeFactory scopes, IOptions<ApiKeyLimits> limits)
{
    // Read once: the verifier is a singleton on every request's path.
    readonly int defaultRateLimit = limits.Value.DefaultRateLimit;

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
        // A wrong guess costs the same whether or not the key exists (so timing does not tell which keys do): one
        // database read and one keyed hash either way. An unknown key is hashed against a dummy; a known key's
        // second look (below) compares the hash already made instead of hashing again.
        SecretMatch match;
        CredentialSnapshot? credential;
        if (cache.TryGet(key, out var cached))
        {
            match = Match(cached, secret, out var presented);
            credential = cached;
            if (match == SecretMatch.None)
            {
                // The secret may have been rolled by another node or the CLI a moment ago: look once more
                // before refusing, so a fresh secret works at once everywhere. Failures are throttled per address.
                credential = await LoadAsync(key, cancellationToken);
                match = Compare(credential, presented!);
            }
        }
        else
        {
            credential = await LoadAsync(key, cancellationToken);
            match = Match(credential ?? Dummy, secret, out _);
            if (credential is null)
            {
                match = SecretMatch.None;
            }
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

    /// <summary>
    /// One check of a made-up credential, which no database holds, at start: the first real request then finds its
    /// query compiled (about 0.1 s of a fresh server's first call, measured in session 8). Nothing is cached or counted as a failure.
    /// </summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        try
        {
            await VerifyAsync(SecretFormat.NewKey(), SecretFormat.NewSecret(), cancellationToken);
        }
        catch (CredentialRejected)
        {
            // as expected: the key does not exist
        }
    }

    enum SecretMatch { None, Current, Previous }

    /// <summary>The presented secret's digest and keyed hash, kept from a failed match for a second look.</summary>
    sealed record Presented(byte[] Digest, byte[] Hash);

    /// <summary>Stands in for an unknown key, so that it is hashed and compared like a known one.</summary>
    static readonly CredentialSnapshot Dummy = new(Guid.Empty, Guid.Empty, "", "", new byte[SecretHasher.HashLength],
        new byte[SecretHasher.HashLength], null, null, null, null, System.Collections.Frozen.FrozenSet<string>.Empty, null, null, 0);

    long keyedHashes;
    long databaseReads;

    /// <summary>Keyed hashes and credential reads made so far: tests prove that each failing path costs the same.</summary>
    internal (long KeyedHashes, long DatabaseReads) Work => (Interlocked.Read(ref keyedHashes), Interlocked.Read(ref databaseReads));

    /// <summary>Matches a secret; when it matches nothing, hands back its digest and hash so a second look need not hash again.</summary>
    SecretMatch Match(CredentialSnapshot credential, ApiSecret secret, out Presented? presented)
    {
        presented = null;
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
        Interlocked.Increment(ref keyedHashes);
        var match = Compare(credential, hash, digest);
        if (match == SecretMatch.None)
        {
            presented = new Presented(digest.ToArray(), hash.ToArray());
        }
        return match;
    }

    static SecretMatch Compare(CredentialSnapshot? credential, Presented presented) =>
        credential is null ? SecretMatch.None : Compare(credential, presented.Hash, presented.Digest);

    static SecretMatch Compare(CredentialSnapshot credential, ReadOnlySpan<byte> hash, ReadOnlySpan<byte> digest)
    {
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
        Interlocked.Increment(ref databaseReads);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CadenceDb>();
        var credential = await db.Credentials.AsNoTracking().Include(c => c.Teams).ThenInclude(t => t.Team)
            .SingleOrDefaultAsync(c => c.Key == key, cancellationToken);
        if (credential is null)
        {
            return null;
        }
        var snapshot = CredentialSnapshot.From(credential, defaultRateLimit);
        cache.Add(snapshot, generation);
        return snapshot;
    }
}
