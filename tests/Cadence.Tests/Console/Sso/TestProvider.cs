using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Cadence.Tests.Console.Sso;

/// <summary>Who the provider says the person signing in is; a test changes it between sign-ins.</summary>
public sealed class ProviderIdentity
{
    public string Subject { get; set; } = Guid.NewGuid().ToString();
    public string? Email { get; set; }
    public bool? EmailVerified { get; set; } = true;
    public string Name { get; set; } = "Pat Provider";
}

/// <summary>
/// A real OpenID Connect provider (OpenIddict's server) on a loopback port in the test process, with its own
/// sign-in form, a SQLite store of its own (so codes are single use) and a client registered for Cadence.
/// </summary>
public sealed class TestProvider : IAsyncDisposable
{
    public const string ClientId = "cadence";
    public const string ClientSecret = "provider-client-secret";
    public ProviderIdentity Identity { get; } = new();
    public int EndSessionRequests => endSessions;
    int endSessions;

    /// <summary>How often the client handler read the userinfo endpoint (each sign-in should).</summary>
    public int UserInfoCalls => userInfoCalls;
    int userInfoCalls;
    readonly WebApplication app;
    readonly string directory;
    readonly List<Uri> registered = [];

    TestProvider(WebApplication app, string directory)
    {
        this.app = app;
        this.directory = directory;
    }

    public Uri Address => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");

    /// <summary>The settings that point Cadence at this provider.</summary>
    public Dictionary<string, string?> Settings(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Cadence:Sso:Authority"] = Address.ToString(),
            ["Cadence:Sso:ClientId"] = ClientId,
            ["Cadence:Sso:ClientSecret"] = ClientSecret,
            ["Cadence:Sso:DisplayName"] = "Campus Login",
        };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }
        return settings;
    }

    public static async Task<TestProvider> StartAsync(bool endSession = true)
    {
        var directory = Directory.CreateTempSubdirectory("cadence-provider-").FullName;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddDbContext<ProviderStore>(o => o.UseSqlite($"Data Source={Path.Combine(directory, "provider.db")};Pooling=false").UseOpenIddict());
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o => { o.Cookie.Name = "provider_session"; o.LoginPath = "/account/login"; });
        builder.Services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<ProviderStore>())
            .AddServer(o =>
            {
                o.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token").SetUserInfoEndpointUris("connect/userinfo");
                if (endSession)
                {
                    o.SetEndSessionEndpointUris("connect/logout");
                }
                o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                o.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email);
                o.AddEphemeralEncryptionKey().AddEphemeralSigningKey().DisableAccessTokenEncryption();
                var aspnet = o.UseAspNetCore().EnableAuthorizationEndpointPassthrough().EnableUserInfoEndpointPassthrough().DisableTransportSecurityRequirement();
                if (endSession)
                {
                    aspnet.EnableEndSessionEndpointPassthrough();
                }
            });
        var app = builder.Build();
        var provider = new TestProvider(app, directory);
        app.UseAuthentication();
        provider.Map(app);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            // The provider's own throwaway store, not Cadence's database: created, not migrated.
            await scope.ServiceProvider.GetRequiredService<ProviderStore>().Database.EnsureCreatedAsync();
        }
        await app.StartAsync();
        // Warmed here, so that Cadence's first metadata read on a busy machine does not meet the provider's first-request start-up.
        using var http = new HttpClient { BaseAddress = provider.Address, Timeout = TimeSpan.FromSeconds(60) };
        (await http.GetAsync(".well-known/openid-configuration")).EnsureSuccessStatusCode();
        (await http.GetAsync(".well-known/jwks")).EnsureSuccessStatusCode();
        return provider;
    }

    /// <summary>Lets Cadence at these addresses use the provider (the redirect URIs to register, as docs/SSO.md says).</summary>
    public async Task RegisterClientAsync(Uri cadence)
    {
        registered.Add(cadence);
        await using var scope = app.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        if (await manager.FindByClientIdAsync(ClientId) is { } existing)
        {
            await manager.DeleteAsync(existing);
        }
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = ClientId, ClientSecret = ClientSecret, ClientType = ClientTypes.Confidential,
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode, Permissions.ResponseTypes.Code,
                Permissions.Scopes.Email, Permissions.Scopes.Profile,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var address in registered)
        {
            descriptor.RedirectUris.Add(new Uri(address, "/signin-oidc"));
            descriptor.PostLogoutRedirectUris.Add(new Uri(address, "/signout-callback-oidc"));
        }
        await manager.CreateAsync(descriptor);
    }

    void Map(WebApplication web)
    {
        web.MapGet("/account/login", (string? returnUrl) => Results.Content($"""
            <!doctype html><html><head><title>Campus Login</title></head><body><h1>Campus Login</h1>
            <form method="post" action="/account/login"><input type="hidden" name="returnUrl" value="{WebUtility.HtmlEncode(returnUrl)}">
            <button type="submit">Continue at the provider</button></form></body></html>
            """, "text/html"));
        web.MapPost("/account/login", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            var identity = new ClaimsIdentity([new Claim("signed_in", "yes")], CookieAuthenticationDefaults.AuthenticationScheme);
            await context.SignInAsync(new ClaimsPrincipal(identity));
            var returnUrl = form["returnUrl"].ToString();
            return Results.Redirect(returnUrl.StartsWith('/') ? returnUrl : "/");
        }).DisableAntiforgery();
        web.MapMethods("/connect/authorize", ["GET", "POST"], async (HttpContext context) =>
        {
            if (!(await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme)).Succeeded)
            {
                return Results.Challenge(new AuthenticationProperties { RedirectUri = context.Request.PathBase + context.Request.Path + context.Request.QueryString });
            }
            var request = context.GetOpenIddictServerRequest()!;
            var claims = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
            claims.AddClaim(new Claim(Claims.Subject, Identity.Subject));
            claims.AddClaim(new Claim(Claims.Name, Identity.Name));
            if (Identity.Email is not null)
            {
                claims.AddClaim(new Claim(Claims.Email, Identity.Email));
            }
            if (Identity.EmailVerified is { } verified)
            {
                claims.AddClaim(new Claim(Claims.EmailVerified, verified ? "true" : "false", ClaimValueTypes.Boolean));
            }
            claims.SetScopes(request.GetScopes());
            claims.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
            return Results.SignIn(new ClaimsPrincipal(claims), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        // A userinfo endpoint, as every real provider has: the client handler then applies its claim actions (one of
        // which would drop "iss"), so the tests go through the path real sign-ins take.
        web.MapMethods("/connect/userinfo", ["GET", "POST"], async (HttpContext context) =>
        {
            var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            if (!result.Succeeded)
            {
                return Results.Challenge(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            }
            Interlocked.Increment(ref userInfoCalls);
            var info = new Dictionary<string, object> { [Claims.Subject] = result.Principal!.GetClaim(Claims.Subject)! };
            if (Identity.Email is not null)
            {
                info[Claims.Email] = Identity.Email;
            }
            if (Identity.EmailVerified is { } verified)
            {
                info[Claims.EmailVerified] = verified;
            }
            return Results.Ok(info);
        });
        web.MapMethods("/connect/logout", ["GET", "POST"], async (HttpContext context) =>
        {
            Interlocked.Increment(ref endSessions);
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        });
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>The provider's OpenIddict tables (applications, authorizations, tokens).</summary>
public sealed class ProviderStore(DbContextOptions<ProviderStore> options) : DbContext(options);
