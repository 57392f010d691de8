using Cadence.Teams;

namespace Cadence.Credentials;

/// <summary>
/// An API credential: a public key and a secret that is stored only as a keyed hash.
/// An empty <see cref="Teams"/> list means every team of the organization.
/// </summary>
public sealed class Credential
{
    /// <summary>The limits of the two texts an administrator writes: the column, the service's check and the console's form use these.</summary>
    public const int MaxNameLength = 200, MaxReasonLength = 500;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public required string Name { get; set; }
    public required string Key { get; set; }
    public required byte[] SecretHash { get; set; }

    // After a roll the replaced secret keeps working until PreviousSecretExpiresAt.
    public byte[]? PreviousSecretHash { get; set; }
    public DateTime? PreviousSecretExpiresAt { get; set; }

    /// <summary>Space-separated scope names.</summary>
    public required string Scopes { get; set; }
    public List<CredentialTeam> Teams { get; set; } = [];
    public int? RateLimit { get; set; }

    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime? ExpiresAt { get; set; }
    public DateTime? RolledAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }
    public string? RevokedReason { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public string? LastUsedIp { get; set; }

    /// <summary>Bumped on every change that affects authentication; nodes re-check changed rows.</summary>
    public DateTime UpdatedAt { get; set; }

    /// <summary>When a rolled-away secret stops working: its grace period's end, or the credential's expiry if sooner.</summary>
    public static DateTime? OldSecretWorksUntil(DateTime? graceEnds, DateTime? expiresAt) =>
        graceEnds is null ? expiresAt : expiresAt is null ? graceEnds : graceEnds < expiresAt ? graceEnds : expiresAt;

    public CredentialStatus StatusAt(DateTime now) =>
        RevokedAt is not null ? CredentialStatus.Revoked
        : ExpiresAt <= now ? CredentialStatus.Expired
        : ExpiresAt <= now.AddDays(7) ? CredentialStatus.Expiring
        : CredentialStatus.Active;

    public CredentialResponse AsResponse(DateTime now) => new(
        Key, Name, StatusAt(now).ToString().ToLowerInvariant(), Scope.Split(Scopes),
        Teams.Count == 0 ? ["*"] : [.. Teams.Select(t => t.Team!.DepartmentCode).Order()],
        CreatedAt, CreatedBy, ExpiresAt, RateLimit, LastUsedAt, LastUsedIp, RolledAt, PreviousSecretExpiresAt,
        RevokedAt, RevokedBy, RevokedReason);
}

public sealed class CredentialTeam
{
    public Guid CredentialId { get; set; }
    public Guid TeamId { get; set; }
    public Team? Team { get; set; }
}

public enum CredentialStatus { Active, Expiring, Expired, Revoked }

/// <summary>What lists and self-inspection show of a credential. There is deliberately no secret here.</summary>
public sealed record CredentialResponse(
    string Key, string Name, string Status, string[] Scopes, string[] Teams,
    DateTime CreatedAt, string CreatedBy, DateTime? ExpiresAt, int? RateLimit,
    DateTime? LastUsedAt, string? LastUsedIp, DateTime? RolledAt, DateTime? OldSecretWorksUntil,
    DateTime? RevokedAt, string? RevokedBy, string? RevokedReason);
