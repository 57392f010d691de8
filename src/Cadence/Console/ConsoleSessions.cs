using System.Collections.Frozen;
using System.Security.Claims;
using Cadence.Audit;
using Cadence.Data;
using Cadence.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Console;

/// <summary>Starts, checks and ends console sessions (rows in ConsoleSessions, named by the cookie).</summary>
public sealed class ConsoleSessions(CadenceDb db, TimeProvider time)
{
    const string SessionClaim = "session";
    const string IdTokenName = "id_token";

    /// <summary>The provider's id token of this browser's session, when it was a single sign-on.</summary>
    public static async Task<string?> IdTokenAsync(HttpContext context) =>
        (await context.AuthenticateAsync(ConsoleDefaults.Scheme)).Properties?.GetTokenValue(IdTokenName);

    /// <summary>
    /// Starts a session for a user already proven (password, setup link or the provider). A single sign-on
    /// passes the provider's id token, kept in the protected cookie for the provider's end-session request.
    /// </summary>
    public async Task SignInAsync(HttpContext context, Users.User user, string? detail = null, string? idToken = null)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var session = new ConsoleSession
        {
            Id = Guid.NewGuid(), UserId = user.Id, CreatedAt = now, ExpiresAt = now + ConsoleDefaults.SessionLifetime,
            IpAddress = context.Connection.RemoteIpAddress?.ToString(),
        };
        db.ConsoleSessions.Add(session);
        db.Record(user.OrganizationId, new Audit.Actor($"user:{user.Email}", session.IpAddress), "user.signed_in", user.Email, now, detail);
        await db.SaveChangesAsync(context.RequestAborted);
        var identity = new ClaimsIdentity([new Claim(SessionClaim, session.Id.ToString())], ConsoleDefaults.Scheme);
        // Not persistent: the browser forgets the cookie when it closes; the row bounds it in any case.
        var properties = new AuthenticationProperties { IsPersistent = false, ExpiresUtc = session.ExpiresAt, AllowRefresh = false };
        if (idToken is not null)
        {
            properties.StoreTokens([new AuthenticationToken { Name = IdTokenName, Value = idToken }]);
        }
        await context.SignInAsync(ConsoleDefaults.Scheme, new ClaimsPrincipal(identity), properties);
    }

    public async Task SignOutAsync(HttpContext context)
    {
        if (context.Features.Get<ConsoleUser>() is { } user)
        {
            var now = time.GetUtcNow().UtcDateTime;
            await db.ConsoleSessions.Where(s => s.Id == user.SessionId && s.EndedAt == null)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAt, now), context.RequestAborted);
            db.Record(user.OrganizationId, user.Actor(context), "user.signed_out", user.Email, now);
            await db.SaveChangesAsync(context.RequestAborted);
        }
        await context.SignOutAsync(ConsoleDefaults.Scheme);
    }

    /// <summary>The cookie's OnValidatePrincipal: a session counts only while its row is live and its user enabled.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var sessions = context.HttpContext.RequestServices.GetRequiredService<ConsoleSessions>();
        var user = Guid.TryParse(context.Principal?.FindFirstValue(SessionClaim), out var id) ? await sessions.LoadAsync(id) : null;
        if (user is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(ConsoleDefaults.Scheme);
            return;
        }
        context.HttpContext.Features.Set(user);
        var claims = new List<Claim> { new(SessionClaim, id.ToString()), new(ClaimTypes.Name, user.Email) };
        if (user.IsAdmin)
        {
            claims.Add(new Claim(ConsoleDefaults.AdminClaim, "true"));
        }
        if (user.IsOwner)
        {
            claims.Add(new Claim(ConsoleDefaults.OwnerClaim, "true"));
        }
        context.ReplacePrincipal(new ClaimsPrincipal(new ClaimsIdentity(claims, ConsoleDefaults.Scheme)));
    }

    async Task<ConsoleUser?> LoadAsync(Guid sessionId)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var row = await (
            from s in db.ConsoleSessions
            join u in db.Users.Include(u => u.Memberships) on s.UserId equals u.Id
            where s.Id == sessionId && s.EndedAt == null && s.ExpiresAt > now && u.DisabledAt == null
            select new { s.Id, User = u }).SingleOrDefaultAsync();
        return row is null
            ? null
            : new ConsoleUser(row.User.Id, row.Id, row.User.OrganizationId, row.User.Email, row.User.Name, row.User.StaffId, row.User.IsOwner,
                row.User.Memberships.ToFrozenDictionary(m => m.TeamId, m => m.Role));
    }
}
