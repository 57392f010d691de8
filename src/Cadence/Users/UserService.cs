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
        CancellationToken cancellationToken = default)
    {
        email = NormalizeEmail(email);
        staffId = staffId.Trim();
        if (staffId.Length is 0 or > Contacts.ContactRules.MaxStaffIdLength)
        {
            throw new CadenceException($"A staff id is required (at most {Contacts.ContactRules.MaxStaffIdLength} characters).");
        }
        if (password.Length < MinimumPasswordLength || password.Length > 1024)
        {
            throw new CadenceException($"A password must have {MinimumPasswordLength} to 1024 characters.");
        }
        Team? team = null;
        if (role != UserRole.Owner)
        {
            if (teamCode is null)
            {
                throw new CadenceException("An admin or user belongs to a team: give --team CODE.");
            }
            team = await TeamLookup.FindAsync(db, organizationId, TeamService.NormalizeCode(teamCode), cancellationToken);
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
            OrganizationId = organizationId, Email = email, StaffId = staffId, PasswordHash = "",
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

    static string NormalizeEmail(string email)
    {
        email = email.Trim().ToLowerInvariant();
        if (email.Length > 254 || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
        {
            throw new CadenceException($"'{(email.Length > 60 ? email[..60] + "…" : email)}' is not an email address.");
        }
        return email;
    }
}
