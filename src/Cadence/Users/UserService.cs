using System.Net.Mail;
using Cadence.Audit;
using Cadence.Data;
using Cadence.Teams;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Users;

public enum UserRole { Owner, Admin, User }

/// <summary>User actions shared by the CLI and the console.</summary>
public sealed class UserService(CadenceDb db, TimeProvider time)
{
    // PBKDF2 (Identity v3 format): console passwords have little entropy, so they get a slow salted hash.
    static readonly PasswordHasher<User> Hasher = new();
    public const int MinimumPasswordLength = 10;

    public async Task<User> AddAsync(
        Guid organizationId, string email, string staffId, UserRole role, string? teamCode, string password, Actor actor,
        CancellationToken cancellationToken = default, string? name = null)
    {
        email = NormalizeEmail(email);
        name = (name ?? "").Trim();
        if (name.Length > 200)
        {
            throw new CadenceException("A name has at most 200 characters.");
        }
        staffId = staffId.Trim();
        if (staffId.Length is 0 or > Contacts.ContactRules.MaxStaffIdLength)
        {
            throw new CadenceException($"A staff id is required (at most {Contacts.ContactRules.MaxStaffIdLength} characters).");
        }
        CheckPasswordRules(password);
        Team? team = null;
        if (role != UserRole.Owner)
        {
            if (teamCode is null)
            {
                throw new CadenceException("An admin or user belongs to a team: give --team CODE.");
            }
            team = await TeamLookup.FindAsync(db, organizationId, DepartmentCode.Parse(teamCode).ToString(), cancellationToken);
        }
        if (await db.Users.AnyAsync(u => u.OrganizationId == organizationId && u.Email == email, cancellationToken))
        {
            throw new CadenceException($"A user with email '{email}' already exists.", StatusCodes.Status409Conflict);
        }
        if (await db.Users.AnyAsync(u => u.OrganizationId == organizationId && u.StaffId == staffId, cancellationToken))
        {
            throw new CadenceException($"A user with staff id '{staffId}' already exists.", StatusCodes.Status409Conflict);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var user = new User
        {
            OrganizationId = organizationId, Email = email, Name = name, StaffId = staffId, PasswordHash = "",
            IsOwner = role == UserRole.Owner, CreatedAt = now,
        };
        user.PasswordHash = Hasher.HashPassword(user, password);
        if (team is not null)
        {
            user.Memberships.Add(new TeamMembership { TeamId = team.Id, Role = role == UserRole.Admin ? TeamRole.Admin : TeamRole.User });
        }
        db.Users.Add(user);
        db.Record(organizationId, actor, "user.created", email, now, $"role {role.ToString().ToLowerInvariant()}{(team is null ? "" : " in " + team.DepartmentCode)}");
        await db.SaveChangesAsync(cancellationToken);
        return user;
    }

    public Task<List<User>> ListAsync(Guid organizationId, CancellationToken cancellationToken = default) =>
        db.Users.Include(u => u.Memberships).Where(u => u.OrganizationId == organizationId)
            .OrderBy(u => u.Email).ToListAsync(cancellationToken);

    /// <summary>
    /// The user whose password this is, or null. An unknown email costs a hash too, so the answer's
    /// timing does not tell which emails exist. A wrong password for an existing account is audited (who
    /// tried, from where) so guessing shows; unknown emails are not, since the log is no place for whatever a
    /// stranger types, and the sign-in throttle bounds how many there can be.
    /// </summary>
    public async Task<User?> CheckPasswordAsync(Guid organizationId, string email, string password, string? address,
        CancellationToken cancellationToken = default)
    {
        email = Canonical(email);
        var user = email.Length <= 254 && password.Length <= 1024
            ? await db.Users.Include(u => u.Memberships).SingleOrDefaultAsync(u => u.OrganizationId == organizationId && u.Email == email, cancellationToken)
            : null;
        if (user is null)
        {
            Hasher.VerifyHashedPassword(TimingDummy, TimingDummy.PasswordHash, password);
            return null;
        }
        var result = Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed || user.DisabledAt is not null)
        {
            db.Record(organizationId, new Actor("sign-in form", address), "user.sign_in_failed", user.Email, time.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = Hasher.HashPassword(user, password);
            await db.SaveChangesAsync(cancellationToken);
        }
        return user;
    }

    /// <summary>Gives a user a role in a team (or takes the team away with null); owners need no team roles.</summary>
    public async Task SetTeamRoleAsync(Guid organizationId, string email, string teamCode, TeamRole? role, Actor actor, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(organizationId, email, cancellationToken);
        var team = await TeamLookup.FindAsync(db, organizationId, DepartmentCode.Parse(teamCode).ToString(), cancellationToken);
        var membership = user.Memberships.SingleOrDefault(m => m.TeamId == team.Id);
        if (role is null)
        {
            if (membership is not null)
            {
                user.Memberships.Remove(membership);
            }
        }
        else if (membership is null)
        {
            user.Memberships.Add(new TeamMembership { TeamId = team.Id, Role = role.Value });
        }
        else
        {
            membership.Role = role.Value;
        }
        var now = time.GetUtcNow().UtcDateTime;
        db.Record(organizationId, actor, "user.role_changed", user.Email, now,
            role is null ? $"removed from {team.DepartmentCode}" : $"{role.Value.ToString().ToLowerInvariant()} in {team.DepartmentCode}");
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Sets a new password and ends the user's console sessions, all but <paramref name="keepSession"/> (the
    /// browser that changed it): whoever knew the old password is signed out everywhere.
    /// </summary>
    public async Task SetPasswordAsync(Guid organizationId, string email, string password, Actor actor, Guid? keepSession = null,
        CancellationToken cancellationToken = default)
    {
        CheckPasswordRules(password);
        var user = await FindAsync(organizationId, email, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        user.PasswordHash = Hasher.HashPassword(user, password);
        await EndSessionsAsync(user, now, keepSession, cancellationToken);
        db.Record(organizationId, actor, "user.password_changed", user.Email, now);
        await db.SaveChangesAsync(cancellationToken);
    }

    static void CheckPasswordRules(string password)
    {
        if (password.Length < MinimumPasswordLength || password.Length > 1024)
        {
            throw new CadenceException($"A password must have {MinimumPasswordLength} to 1024 characters.");
        }
    }

    /// <summary>Stops a user signing in and ends their console sessions at once.</summary>
    public async Task DisableAsync(Guid organizationId, string email, Actor actor, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(organizationId, email, cancellationToken);
        if (user.DisabledAt is not null)
        {
            return;
        }
        if (user.IsOwner && await db.Users.CountAsync(u => u.OrganizationId == organizationId && u.IsOwner && u.DisabledAt == null, cancellationToken) == 1)
        {
            throw new CadenceException("This is the last owner; add another owner before disabling this one.", StatusCodes.Status409Conflict);
        }
        var now = time.GetUtcNow().UtcDateTime;
        user.DisabledAt = now;
        await EndSessionsAsync(user, now, null, cancellationToken);
        db.Record(organizationId, actor, "user.disabled", user.Email, now);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Forgets the user's provider identity: their next single sign-on is matched by verified email again (for a
    /// person whose account at the provider was replaced). Their present sessions end: an unlink usually means the
    /// provider account is no longer trusted.
    /// </summary>
    public async Task UnlinkSsoAsync(Guid organizationId, string email, Actor actor, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(organizationId, email, cancellationToken);
        if (user.SsoSubject is null)
        {
            return;
        }
        db.Record(organizationId, actor, "user.sso_unlinked", user.Email, time.GetUtcNow().UtcDateTime, $"issuer {user.SsoIssuer}, subject {user.SsoSubject}");
        user.SsoIssuer = null;
        user.SsoSubject = null;
        await db.SaveChangesAsync(cancellationToken);
        await EndSessionsAsync(user, time.GetUtcNow().UtcDateTime, null, cancellationToken);
    }

    Task EndSessionsAsync(User user, DateTime now, Guid? keepSession, CancellationToken cancellationToken) =>
        db.ConsoleSessions.Where(s => s.UserId == user.Id && s.EndedAt == null && s.Id != keepSession)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAt, now), cancellationToken);

    /// <summary>Emails are compared trimmed and in lower case.</summary>
    static string Canonical(string email) => email.Trim().ToLowerInvariant();

    async Task<User> FindAsync(Guid organizationId, string email, CancellationToken cancellationToken)
    {
        email = Canonical(email);
        return await db.Users.Include(u => u.Memberships).SingleOrDefaultAsync(u => u.OrganizationId == organizationId && u.Email == email, cancellationToken)
            ?? throw new CadenceException($"No user has the email '{TextCut.Cut(email, 60)}'.", StatusCodes.Status404NotFound);
    }

    static readonly User TimingDummy = MakeDummy();

    static User MakeDummy()
    {
        var dummy = new User { Email = "", StaffId = "", PasswordHash = "" };
        dummy.PasswordHash = Hasher.HashPassword(dummy, Guid.NewGuid().ToString());
        return dummy;
    }

    static string NormalizeEmail(string email)
    {
        email = Canonical(email);
        if (email.Length > 254 || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
        {
            throw new CadenceException($"'{TextCut.Cut(email, 60)}' is not an email address.");
        }
        return email;
    }
}
