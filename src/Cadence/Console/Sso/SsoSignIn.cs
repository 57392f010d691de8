using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Cadence.Audit;
using Cadence.Data;
using Cadence.Users;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Console.Sso;

/// <summary>The outcome of matching a provider's identity: a user to sign in, or why not (shown and audited).</summary>
public sealed record SsoMatch(User? User, string? Refusal);

/// <summary>
/// Who a provider's identity is in Cadence. The issuer and subject are the identity's stable name; the email is
/// only how a user is found the first time, after which the link decides, so a later change of email at the
/// provider (or a new account given an existing address) cannot take over someone else's account.
/// </summary>
public sealed class SsoSignIn(CadenceDb db, UserService users, SsoSettings settings, TimeProvider time)
{
    public const int MaxIssuerLength = 300;
    public const int MaxSubjectLength = 255;

    public Actor ActorFor(string? address) => new($"sso:{Clip(settings.DisplayName, 60)}", address);

    public async Task<SsoMatch> MatchAsync(ClaimsPrincipal principal, string? address, CancellationToken cancellationToken)
    {
        var organization = await db.Organizations.SingleAsync(cancellationToken);
        var issuer = principal.FindFirstValue("iss");
        var subject = principal.FindFirstValue("sub");
        var email = settings.EmailClaims.Select(principal.FindFirstValue).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim().ToLowerInvariant();
        if (issuer is not { Length: > 0 and <= MaxIssuerLength } || subject is not { Length: > 0 and <= MaxSubjectLength })
        {
            return await RefuseAsync(organization.Id, address, email, issuer, subject, "the provider sent no usable issuer and subject");
        }
        var linked = await db.Users.Include(u => u.Memberships)
            .SingleOrDefaultAsync(u => u.OrganizationId == organization.Id && u.SsoIssuer == issuer && u.SsoSubject == subject, cancellationToken);
        if (linked is not null)
        {
            return linked.DisabledAt is null
                ? new SsoMatch(linked, null)
                : await RefuseAsync(organization.Id, address, linked.Email, issuer, subject, "the user is disabled");
        }
        // Only a verified address finds a user: a provider that says false, or says nothing (Entra ID's email claim
        // is not verified, the "nOAuth" takeover), is refused unless the operator vouches for the provider's addresses
        // (Cadence:Sso:TrustUnverifiedEmail, documented in docs/SSO.md).
        var verified = principal.FindFirstValue("email_verified");
        if (string.Equals(verified, "false", StringComparison.OrdinalIgnoreCase)
            || (verified is null && !settings.TrustUnverifiedEmail))
        {
            return await RefuseAsync(organization.Id, address, email, issuer, subject, "the provider has not verified the email address");
        }
        if (email is not { Length: > 0 and <= 254 })
        {
            return await RefuseAsync(organization.Id, address, email, issuer, subject, "the provider sent no email address");
        }
        var byEmail = await db.Users.Include(u => u.Memberships)
            .SingleOrDefaultAsync(u => u.OrganizationId == organization.Id && u.Email == email, cancellationToken);
        if (byEmail is not null)
        {
            if (byEmail.SsoSubject is not null)
            {
                return await RefuseAsync(organization.Id, address, email, issuer, subject, "the user is linked to another identity at the provider");
            }
            if (byEmail.DisabledAt is not null)
            {
                return await RefuseAsync(organization.Id, address, email, issuer, subject, "the user is disabled");
            }
            await LinkAsync(byEmail, issuer, subject, address, cancellationToken);
            return new SsoMatch(byEmail, null);
        }
        if (string.IsNullOrWhiteSpace(settings.CreateUsers))
        {
            return await RefuseAsync(organization.Id, address, email, issuer, subject, "no user has this email address");
        }
        return await CreateAsync(organization.Id, principal, email, issuer, subject, address, cancellationToken);
    }

    /// <summary>The audit detail of a sign-in through the provider.</summary>
    public string Describe(User user) => $"via {Clip(settings.DisplayName, 60)}, issuer {user.SsoIssuer}, subject {Clip(user.SsoSubject!, 255)}";

    async Task<SsoMatch> CreateAsync(Guid organizationId, ClaimsPrincipal principal, string email, string issuer, string subject, string? address,
        CancellationToken cancellationToken)
    {
        // The password is random and never shown: such a user signs in through the provider until someone sets one.
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var staffId = subject.Length <= 60 ? "sso-" + subject : "sso-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(subject)))[..32];
        try
        {
            var user = await users.AddAsync(organizationId, email, staffId, UserRole.User, settings.CreateUsers, password, ActorFor(address),
                cancellationToken, Clip(principal.FindFirstValue("name") ?? "", 200));
            await LinkAsync(user, issuer, subject, address, cancellationToken);
            return new SsoMatch(user, null);
        }
        catch (CadenceException e)
        {
            db.ChangeTracker.Clear();
            return await RefuseAsync(organizationId, address, email, issuer, subject, "the user could not be created: " + e.Message);
        }
    }

    async Task LinkAsync(User user, string issuer, string subject, string? address, CancellationToken cancellationToken)
    {
        user.SsoIssuer = issuer;
        user.SsoSubject = subject;
        db.Record(user.OrganizationId, ActorFor(address), "user.sso_linked", user.Email, time.GetUtcNow().UtcDateTime, $"issuer {issuer}, subject {subject}");
        await db.SaveChangesAsync(cancellationToken);
    }

    async Task<SsoMatch> RefuseAsync(Guid organizationId, string? address, string? email, string? issuer, string? subject, string reason)
    {
        var target = Clip(email is { Length: > 0 } ? email : subject ?? "unknown identity", 254);
        db.Record(organizationId, ActorFor(address), "user.sso_refused", target, time.GetUtcNow().UtcDateTime,
            Clip($"{reason}; issuer {issuer ?? "none"}, subject {subject ?? "none"}", 2000));
        await db.SaveChangesAsync();
        return new SsoMatch(null, reason);
    }

    static string Clip(string text, int length) => TextCut.Fit(text, length);
}
