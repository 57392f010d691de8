using Cadence.Credentials;
using Cadence.Data;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.Options;

namespace Cadence.Console;

public static class ConsoleExtensions
{
    /// <summary>The web console: Razor Pages under Console/Pages, its cookie scheme, policies and session store.</summary>
    public static IServiceCollection AddConsole(this IServiceCollection services)
    {
        services.AddSingleton<IHtmlErrorPage, ConsoleErrorPage>();
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Console/Pages";
            o.Conventions.AuthorizeFolder("/", ConsoleDefaults.Policy);
            o.Conventions.AllowAnonymousToPage("/Login");
            o.Conventions.AllowAnonymousToPage("/Setup");
            o.Conventions.AuthorizeFolder("/Api", ConsoleDefaults.AdminPolicy);
            o.Conventions.AuthorizePage("/Audit", ConsoleDefaults.OwnerPolicy);
        });
        // Replaces the cookie provider AddRazorPages registered, wrapping it (see LiveReadsLeaveTempData).
        services.AddSingleton<ITempDataProvider>(sp => new LiveReadsLeaveTempData(ActivatorUtilities.CreateInstance<CookieTempDataProvider>(sp)));
        // An empty form field binds as "" (not null), so a blank input meets the services' own checks and
        // gets their message rather than a NullReferenceException.
        services.Configure<Microsoft.AspNetCore.Mvc.MvcOptions>(o => o.ModelMetadataDetailsProviders.Add(new EmptyStringsStayEmpty()));
        services.AddAuthentication().AddCookie(ConsoleDefaults.Scheme, o =>
        {
            o.Cookie.Name = ConsoleDefaults.CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/login";
            o.ReturnUrlParameter = "returnUrl";
            o.ExpireTimeSpan = ConsoleDefaults.SessionLifetime;
            o.SlidingExpiration = false;
            o.Events.OnValidatePrincipal = ConsoleSessions.ValidateAsync;
            o.Events.OnRedirectToAccessDenied = context => ConsoleErrors.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden,
                "You do not have access to this page", "Your role does not include this page. Ask an owner if you need it.");
        });
        // Console policies name the cookie scheme: the API's default scheme (credentials) never signs in here.
        services.AddAuthorizationBuilder()
            .AddPolicy(ConsoleDefaults.Policy, p => p.AddAuthenticationSchemes(ConsoleDefaults.Scheme).RequireAuthenticatedUser())
            .AddPolicy(ConsoleDefaults.AdminPolicy, p => p.AddAuthenticationSchemes(ConsoleDefaults.Scheme).RequireAuthenticatedUser()
                .RequireClaim(ConsoleDefaults.AdminClaim))
            .AddPolicy(ConsoleDefaults.OwnerPolicy, p => p.AddAuthenticationSchemes(ConsoleDefaults.Scheme).RequireAuthenticatedUser()
                .RequireClaim(ConsoleDefaults.OwnerClaim));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "cadence_antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = "__csrf";
        });
        // Cookies and antiforgery tokens are protected by keys every node reads from the shared database.
        services.AddDataProtection().SetApplicationName("cadence").PersistKeysToDbContext<CadenceDb>();
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlEncryptor = new KeyRingEncryptor(sp.GetRequiredService<SecretHasher>())));
        services.AddScoped<ConsoleSessions>();
        services.AddScoped<SetupLinks>();
        services.AddSingleton<LoginThrottle>();
        services.AddHostedService<SetupLinkPrinter>();
        return services;
    }

    /// <summary>The console's CSS and JavaScript, copied beside the executable at build.</summary>
    public static IApplicationBuilder UseConsoleAssets(this IApplicationBuilder app) => app.UseStaticFiles(new StaticFileOptions
    {
        RequestPath = "/console-assets",
        FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "console-assets")),
        OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "no-cache",
    });

    /// <summary>Security headers on every console answer: a strict CSP, no framing, no caching of pages.</summary>
    public static IApplicationBuilder UseConsoleHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (IsConsolePath(context.Request.Path))
        {
            SetSecurityHeaders(context.Response, cache: context.Request.Path.StartsWithSegments("/console-assets"));
        }
        return next(context);
    });

    /// <summary>
    /// Empty error answers get a body: problem details for the API, the console's HTML page for a browser
    /// (a refused form, a missing page), which says what to do next.
    /// </summary>
    public static IApplicationBuilder UseStatusPages(this IApplicationBuilder app) => app.UseStatusCodePages(async context =>
    {
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        if (IsConsolePath(http.Request.Path))
        {
            var (title, detail) = status switch
            {
                400 => ("This form could not be accepted", "It may have expired or not come from this console. Go back, reload the page and try again."),
                404 => ("There is no such page", "Check the address, or start again from the console's menu."),
                _ => ("Something went wrong", $"The server answered {status}."),
            };
            await ConsoleErrors.WriteAsync(http, status, title, detail);
            return;
        }
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = status },
        });
    });

    public static void SetSecurityHeaders(HttpResponse response, bool cache = false)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        if (!cache)
        {
            // no-cache too: a page with a form carries an antiforgery token, and ASP.NET Core rewrites a Cache-Control
            // without no-cache (and logs a warning each time) for such pages.
            headers.CacheControl = "no-cache, no-store";
        }
    }

    /// <summary>Everything but the machine-facing paths (client API, health, OpenAPI, simulator API, webhooks).</summary>
    public static bool IsConsolePath(PathString path) =>
        !path.StartsWithSegments("/v2") && !path.StartsWithSegments("/healthz") && !path.StartsWithSegments("/readyz")
        && !path.StartsWithSegments("/openapi") && !path.StartsWithSegments("/simulator/api") && !path.StartsWithSegments("/webhooks");
}

sealed class EmptyStringsStayEmpty : Microsoft.AspNetCore.Mvc.ModelBinding.Metadata.IDisplayMetadataProvider
{
    public void CreateDisplayMetadata(Microsoft.AspNetCore.Mvc.ModelBinding.Metadata.DisplayMetadataProviderContext context)
    {
        // Strings only: a blank number field still binds as null (none given).
        if (context.Key.ModelType == typeof(string))
        {
            context.DisplayMetadata.ConvertEmptyStringToNull = false;
        }
    }
}

/// <summary>The console's pages answer errors in HTML (see <see cref="IHtmlErrorPage"/>, asked by the root ProblemExceptionHandler).</summary>
sealed class ConsoleErrorPage : IHtmlErrorPage
{
    public bool Serves(HttpContext http) => ConsoleExtensions.IsConsolePath(http.Request.Path);

    public Task WriteAsync(HttpContext http, int status, string title, string detail) => ConsoleErrors.WriteAsync(http, status, title, detail);
}

public static class ConsoleErrors
{
    /// <summary>A small HTML answer for a browser (the console's 403), never a stack trace.</summary>
    public static Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        ConsoleExtensions.SetSecurityHeaders(context.Response);
        context.Response.ContentType = "text/html; charset=utf-8";
        var encoder = System.Text.Encodings.Web.HtmlEncoder.Default;
        return context.Response.WriteAsync($"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>{encoder.Encode(title)} · Cadence</title>
            <link rel="stylesheet" href="/console-assets/console.css"></head>
            <body><main class="narrow"><h1>{encoder.Encode(title)}</h1><p>{encoder.Encode(detail)}</p><p><a href="/">Back to the console</a></p></main></body></html>
            """);
    }
}
