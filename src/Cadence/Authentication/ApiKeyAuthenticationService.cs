using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace Cadence.Authentication;

/// <summary>
/// ASP.NET Core's authentication service, with the API credential scheme's answer passed straight through.
/// The framework's service runs claims transformation after every successful authentication and copies the
/// ticket and the result (a set, a task, a ticket and a result per request). Cadence registers no claims
/// transformation, and an API caller's principal is built once per credential, so for this one scheme, on
/// every API request, that step is skipped. Other schemes (the console's cookie) and every other operation
/// go to the framework's service unchanged.
/// </summary>
internal sealed class ApiKeyAuthenticationService(IServiceProvider services, ObjectFactory createFramework, IAuthenticationHandlerProvider handlers)
    : IAuthenticationService
{
    IAuthenticationService? framework;

    // Made only when a request needs it: API requests do not.
    IAuthenticationService Framework => framework ??= (IAuthenticationService)createFramework(services, null);

    public async Task<AuthenticateResult> AuthenticateAsync(HttpContext context, string? scheme) =>
        scheme == ApiKeyDefaults.AuthenticationScheme && await handlers.GetHandlerAsync(context, scheme) is { } handler
            ? await handler.AuthenticateAsync()
            : await Framework.AuthenticateAsync(context, scheme);

    public Task ChallengeAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) =>
        Framework.ChallengeAsync(context, scheme, properties);

    public Task ForbidAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) =>
        Framework.ForbidAsync(context, scheme, properties);

    public Task SignInAsync(HttpContext context, string? scheme, ClaimsPrincipal principal, AuthenticationProperties? properties) =>
        Framework.SignInAsync(context, scheme, principal, properties);

    public Task SignOutAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) =>
        Framework.SignOutAsync(context, scheme, properties);
}
