using Cadence.Audit;
using Cadence.Data;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Credentials;

/// <summary>What a secret found somewhere is to this deployment.</summary>
public enum SecretStanding
{
    /// <summary>The current secret of a usable credential: it works.</summary>
    Active,

    /// <summary>A rolled-away secret still in its grace period: it works until then.</summary>
    Grace,

    /// <summary>A rolled-away secret whose grace period is over.</summary>
    Replaced,
    Revoked,
    Expired,

    /// <summary>Not a current or previous secret of any credential here.</summary>
    Unknown,
}

public sealed record SecretLookup(Credential? Credential, SecretStanding Standing, DateTime? WorksUntil)
{
    public bool Works => Standing is SecretStanding.Active or SecretStanding.Grace;
}

/// <summary>
/// The leak response: a secret found in a file, a log or a public paste names its own credential (by its hash),
/// and whoever holds it may stop it from working without knowing the key or signing in.
/// </summary>
public sealed class LeakedSecrets(CadenceDb db, SecretHasher hasher, TimeProvider time, CredentialService credentials, CredentialChanges changes)
{
    public async Task<SecretLookup> LookUpAsync(Guid organizationId, ApiSecret secret, CancellationToken cancellationToken = default)
    {
        if (!SecretFormat.IsSecret(secret.Reveal()))
        {
            return new SecretLookup(null, SecretStanding.Unknown, null);
        }
        var hash = hasher.Hash(secret);
        // The secret's hash is the lookup: only the credential that issued it can match.
        var credential = await db.Credentials.Include(c => c.Teams).ThenInclude(t => t.Team)
            .Where(c => c.OrganizationId == organizationId && (c.SecretHash == hash || c.PreviousSecretHash == hash))
            .FirstOrDefaultAsync(cancellationToken);
        if (credential is null)
        {
            return new SecretLookup(null, SecretStanding.Unknown, null);
        }
        var now = time.GetUtcNow().UtcDateTime;
        var current = credential.SecretHash.AsSpan().SequenceEqual(hash);
        return credential.StatusAt(now) switch
        {
            CredentialStatus.Revoked => new(credential, SecretStanding.Revoked, null),
            CredentialStatus.Expired => new(credential, SecretStanding.Expired, null),
            _ when current => new(credential, SecretStanding.Active, credential.ExpiresAt),
            _ when now < credential.PreviousSecretExpiresAt => new(credential, SecretStanding.Grace, Credential.OldSecretWorksUntil(credential.PreviousSecretExpiresAt, credential.ExpiresAt)),
            _ => new(credential, SecretStanding.Replaced, null),
        };
    }

    /// <summary>
    /// Makes a presented secret stop working. A credential's current secret revokes the credential; a
    /// rolled-away secret still in its grace period has that grace ended now, so the application already on the
    /// new secret keeps running. Anything else is left as it is. Returns what the secret was before.
    /// </summary>
    public async Task<SecretLookup> StopAsync(Guid organizationId, ApiSecret secret, string reason, Actor actor, CancellationToken cancellationToken = default)
    {
        CredentialService.CheckReason(reason);
        var found = await LookUpAsync(organizationId, secret, cancellationToken);
        if (found.Standing == SecretStanding.Active)
        {
            await credentials.RevokeAsync(organizationId, found.Credential!.Key, reason, actor, cancellationToken);
        }
        else if (found.Standing == SecretStanding.Grace)
        {
            var credential = found.Credential!;
            var now = time.GetUtcNow().UtcDateTime;
            credential.PreviousSecretHash = null;
            credential.PreviousSecretExpiresAt = null;
            credential.UpdatedAt = now;
            db.Record(organizationId, actor, "credential.old_secret_stopped", credential.Key, now, reason);
            await changes.SaveAndPublishAsync(db, credential.Key, cancellationToken);
        }
        return found;
    }
}
