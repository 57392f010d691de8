using System.Security.Cryptography;
using System.Text;
using Cadence.Audit;
using Cadence.Data;
using Cadence.Users;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Console;

/// <summary>
/// The first-run link that creates the organization's owner. Single use, valid 24 hours, stored as its
/// SHA-256 only: the database never holds a token that would work.
/// </summary>
public sealed class SetupLinks(CadenceDb db, UserService users, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public Task<bool> HasOwnerAsync(Guid organizationId, CancellationToken cancellationToken = default) =>
        db.Users.AnyAsync(u => u.OrganizationId == organizationId && u.IsOwner, cancellationToken);

    public async Task<string> IssueAsync(Guid organizationId, CancellationToken cancellationToken = default)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow().UtcDateTime;
        // Only the newest link works: an earlier one, printed to an old console or log, is spent.
        await db.SetupTokens.Where(t => t.OrganizationId == organizationId && t.UsedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.ExpiresAt, now), cancellationToken);
        db.SetupTokens.Add(new SetupToken { OrganizationId = organizationId, TokenHash = Hash(token), CreatedAt = now, ExpiresAt = now + Lifetime });
        await db.SaveChangesAsync(cancellationToken);
        return token;
    }

    /// <summary>Whether the token would still create an owner (for showing the form).</summary>
    public async Task<bool> IsUsableAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (!IsWellFormed(token))
        {
            return false;
        }
        var now = time.GetUtcNow().UtcDateTime;
        var hash = Hash(token!);
        var organizationId = await db.SetupTokens.Where(t => t.TokenHash == hash && t.UsedAt == null && t.ExpiresAt > now)
            .Select(t => (Guid?)t.OrganizationId).SingleOrDefaultAsync(cancellationToken);
        return organizationId is { } id && !await HasOwnerAsync(id, cancellationToken);
    }

    /// <summary>Uses up the token and creates the owner in one transaction; a second use finds nothing to take.</summary>
    public async Task<User> CreateOwnerAsync(string? token, string name, string email, string staffId, string password, string? address,
        CancellationToken cancellationToken = default)
    {
        const string spent = "This setup link has expired or was already used. Restart `cadence serve` for a new one, or sign in.";
        if (!IsWellFormed(token))
        {
            throw new CadenceException(spent, StatusCodes.Status404NotFound);
        }
        var now = time.GetUtcNow().UtcDateTime;
        var hash = Hash(token!);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var taken = await db.SetupTokens.Where(t => t.TokenHash == hash && t.UsedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.UsedAt, now), cancellationToken);
        var organizationId = await db.SetupTokens.Where(t => t.TokenHash == hash).Select(t => t.OrganizationId).SingleOrDefaultAsync(cancellationToken);
        if (taken == 0 || await HasOwnerAsync(organizationId, cancellationToken))
        {
            throw new CadenceException(spent, StatusCodes.Status404NotFound);
        }
        var owner = await users.AddAsync(organizationId, email, staffId, UserRole.Owner, null, password,
            new Actor("setup link", address), cancellationToken, name);
        await transaction.CommitAsync(cancellationToken);
        return owner;
    }

    static bool IsWellFormed(string? token) => token is { Length: 64 } && token.All(char.IsAsciiHexDigitLower);

    static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token)));
}

/// <summary>Once the server listens, prints the setup link if the organization has no owner yet.</summary>
public sealed class SetupLinkPrinter(IServiceScopeFactory scopes, IServer server, IHostApplicationLifetime lifetime, ILogger<SetupLinkPrinter> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled()))
        {
            try
            {
                await started.Task;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CadenceDb>();
        var links = scope.ServiceProvider.GetRequiredService<SetupLinks>();
        var organization = await db.Organizations.SingleAsync(stoppingToken);
        if (await links.HasOwnerAsync(organization.Id, stoppingToken))
        {
            return;
        }
        var token = await links.IssueAsync(organization.Id, stoppingToken);
        logger.LogWarning("No owner yet. Create the owner account at {SetupLink} (works once, for 24 hours).",
            $"{BaseAddress()}/setup?token={token}");
    }

    string BaseAddress()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5080";
        var uri = new Uri(address.Replace("://+", "://localhost").Replace("://*", "://localhost"));
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "localhost" : uri.Host;
        return $"{uri.Scheme}://{(host.Contains(':') && !host.StartsWith('[') ? $"[{host}]" : host)}:{uri.Port}";
    }
}
