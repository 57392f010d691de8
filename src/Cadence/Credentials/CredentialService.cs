using Cadence.Audit;
using Cadence.Data;
using Cadence.Teams;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Credentials;

public sealed record NewCredential(string Name, IReadOnlyList<string> Scopes, IReadOnlyList<string> TeamCodes, TimeSpan? ExpiresIn, int? RateLimit);

/// <summary>A credential just created or rolled, with its secret in clear for the one time it is shown.</summary>
public sealed record IssuedCredential(Credential Credential, ApiSecret Secret);

/// <summary>Credential actions shared by the CLI, the console and the API. Each one writes an audit event.</summary>
public sealed class CredentialService(CadenceDb db, SecretHasher hasher, TimeProvider time, CredentialChanges changes, ICredentialRevocations revocations)
{
    public static readonly TimeSpan MaxGrace = TimeSpan.FromDays(7);
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(3660);
    public const int MaxRateLimit = 100_000;

    public async Task<IssuedCredential> CreateAsync(Guid organizationId, NewCredential request, Actor actor, CancellationToken cancellationToken = default)
    {
        var name = request.Name.Trim();
        if (name.Length is 0 || name.Length > Credential.MaxNameLength)
        {
            throw new CadenceException($"A credential needs a name (at most {Credential.MaxNameLength} characters) that says which application uses it.");
        }
        if (request.ExpiresIn is { } life && (life <= TimeSpan.Zero || life > MaxLifetime))
        {
            throw new CadenceException("An expiry must be in the future and at most 10 years away.");
        }
        if (request.RateLimit is < 1 or > MaxRateLimit)
        {
            throw new CadenceException($"A rate limit is 1 to {MaxRateLimit} requests per second.");
        }
        var scopes = Scope.Normalize(request.Scopes);
        var teams = await TeamLookup.FindAllAsync(db, organizationId, request.TeamCodes, cancellationToken);

        var now = time.GetUtcNow().UtcDateTime;
        var secret = SecretFormat.NewSecret();
        var credential = new Credential
        {
            OrganizationId = organizationId,
            Name = name,
            Key = SecretFormat.NewKey(),
            SecretHash = hasher.Hash(secret),
            Scopes = scopes,
            Teams = [.. teams.Select(t => new CredentialTeam { TeamId = t.Id, Team = t })],
            RateLimit = request.RateLimit,
            CreatedAt = now,
            CreatedBy = actor.Name,
            ExpiresAt = request.ExpiresIn is { } expiresIn ? now + expiresIn : null,
            UpdatedAt = now,
        };
        db.Credentials.Add(credential);
        db.Record(organizationId, actor, "credential.created", credential.Key, now,
            $"name \"{name}\"; scopes {scopes}; teams {(teams.Count == 0 ? "*" : string.Join(",", teams.Select(t => t.DepartmentCode)))}");
        await db.SaveChangesAsync(cancellationToken);
        return new IssuedCredential(credential, secret);
    }

    public Task<List<Credential>> ListAsync(Guid organizationId, CancellationToken cancellationToken = default) =>
        db.Credentials.AsNoTracking().Include(c => c.Teams).ThenInclude(t => t.Team)
            .Where(c => c.OrganizationId == organizationId)
            .OrderByDescending(c => c.CreatedAt)
            .ToListAsync(cancellationToken);

    /// <summary>Refuses a revocation reason longer than the column (the console, the CLI, the API and a leaked secret's stop).</summary>
    public static void CheckReason(string? reason)
    {
        if (reason is { Length: > Credential.MaxReasonLength })
        {
            throw new CadenceException($"A revocation reason has at most {Credential.MaxReasonLength} characters.");
        }
    }

    /// <summary>Revokes at once and for good. Revoking a revoked credential changes nothing.</summary>
    public async Task<Credential> RevokeAsync(Guid organizationId, string key, string? reason, Actor actor, CancellationToken cancellationToken = default)
    {
        CheckReason(reason);
        var credential = await FindAsync(organizationId, key, cancellationToken);
        if (credential.RevokedAt is not null)
        {
            return credential;
        }
        var now = time.GetUtcNow().UtcDateTime;
        credential.RevokedAt = now;
        credential.RevokedBy = actor.Name;
        credential.RevokedReason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        credential.UpdatedAt = now;
        db.Record(organizationId, actor, "credential.revoked", credential.Key, now, credential.RevokedReason);
        revocations.Revoked(db, organizationId, credential, actor.Name, now); // its event (Events), in this unit of work
        await changes.SaveAndPublishAsync(db, credential.Key, cancellationToken);
        return credential;
    }

    /// <summary>
    /// Issues a new secret for the same key. The old secret keeps working for the grace period; a secret
    /// still in an earlier grace period stops at once, since only one previous secret is kept.
    /// </summary>
    public async Task<IssuedCredential> RollAsync(Guid organizationId, string key, TimeSpan grace, Actor actor, CancellationToken cancellationToken = default)
    {
        if (grace < TimeSpan.Zero || grace > MaxGrace)
        {
            throw new CadenceException("The grace period is 0 to 7 days.");
        }
        var credential = await FindAsync(organizationId, key, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var status = credential.StatusAt(now);
        if (status is CredentialStatus.Revoked or CredentialStatus.Expired)
        {
            throw new CadenceException($"Credential {credential.Key} is {status.ToString().ToLowerInvariant()}; create a new one instead.", StatusCodes.Status409Conflict);
        }
        var secret = SecretFormat.NewSecret();
        credential.PreviousSecretHash = grace > TimeSpan.Zero ? credential.SecretHash : null;
        credential.PreviousSecretExpiresAt = grace > TimeSpan.Zero ? now + grace : null;
        credential.SecretHash = hasher.Hash(secret);
        credential.RolledAt = now;
        credential.UpdatedAt = now;
        db.Record(organizationId, actor, "credential.rolled", credential.Key, now, $"old secret works for {grace}");
        await changes.SaveAndPublishAsync(db, credential.Key, cancellationToken);
        return new IssuedCredential(credential, secret);
    }

    async Task<Credential> FindAsync(Guid organizationId, string key, CancellationToken cancellationToken) =>
        await db.Credentials.Include(c => c.Teams).ThenInclude(t => t.Team)
            .SingleOrDefaultAsync(c => c.OrganizationId == organizationId && c.Key == key.Trim(), cancellationToken)
        ?? throw new CadenceException($"There is no credential with key '{TextCut.Cut(key, 40)}'.", StatusCodes.Status404NotFound);
}
