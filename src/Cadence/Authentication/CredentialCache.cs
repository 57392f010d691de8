using System.Collections.Concurrent;
using System.Collections.Frozen;
using Cadence.Credentials;

namespace Cadence.Authentication;

/// <summary>What a node remembers of a credential so that an authenticated request costs no database round trip.</summary>
public sealed record CredentialSnapshot(
    Guid Id, Guid OrganizationId, string Key, string Name, byte[] SecretHash, byte[]? PreviousSecretHash,
    DateTime? PreviousSecretExpiresAt, DateTime? RolledAt, DateTime? ExpiresAt, DateTime? RevokedAt,
    FrozenSet<string> Scopes, FrozenSet<Guid>? TeamIds, FrozenSet<string>? TeamCodes, int RateLimit)
{
    /// <summary>SHA-256 of the current secret once a request has proved it; see CredentialVerifier.</summary>
    public byte[]? VerifiedDigest { get; set; }

    /// <summary>What endpoints see of this credential; made once here rather than on every request.</summary>
    public ApiCaller Caller { get; } = new(Id, OrganizationId, Key, Name, Scopes, TeamIds, TeamCodes, RateLimit, ExpiresAt);

    public static CredentialSnapshot From(Credential c, int defaultRateLimit) => new(
        c.Id, c.OrganizationId, c.Key, c.Name, c.SecretHash, c.PreviousSecretHash, c.PreviousSecretExpiresAt, c.RolledAt,
        c.ExpiresAt, c.RevokedAt, Scope.Split(c.Scopes).ToFrozenSet(),
        c.Teams.Count == 0 ? null : c.Teams.Select(t => t.TeamId).ToFrozenSet(),
        c.Teams.Count == 0 ? null : c.Teams.Select(t => t.Team!.DepartmentCode).ToFrozenSet(StringComparer.Ordinal),
        c.RateLimit ?? defaultRateLimit);
}

/// <summary>
/// Verified credentials by key. Every change to a credential evicts it here (locally at once, on other
/// nodes through <see cref="CredentialWatcher"/>), so the next request reads the new state.
/// </summary>
public sealed class CredentialCache : ICredentialCache
{
    readonly ConcurrentDictionary<string, CredentialSnapshot> entries = new(StringComparer.Ordinal);
    readonly Lock gate = new();
    long generation;

    /// <summary>Take before reading the database, hand to <see cref="Add"/> after.</summary>
    public long Generation => Interlocked.Read(ref generation);

    public bool TryGet(string key, out CredentialSnapshot snapshot) => entries.TryGetValue(key, out snapshot!);

    /// <summary>True while this snapshot is the one cached for its key: no change has evicted or replaced it.</summary>
    public bool IsCurrent(CredentialSnapshot snapshot) =>
        entries.TryGetValue(snapshot.Key, out var current) && ReferenceEquals(current, snapshot);

    /// <summary>Keeps a snapshot unless an eviction happened while it was being read: then it may be stale.</summary>
    public void Add(CredentialSnapshot snapshot, long generationAtRead)
    {
        lock (gate)
        {
            if (generation == generationAtRead)
            {
                entries[snapshot.Key] = snapshot;
            }
        }
    }

    public void Evict(string key)
    {
        lock (gate)
        {
            generation++;
            entries.TryRemove(key, out _);
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            generation++;
            entries.Clear();
        }
    }
}
