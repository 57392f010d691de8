using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Cadence.Authentication;

/// <summary>A credential must hold the scope; when it does not, the 403 names the missing scope.</summary>
public sealed class ScopeRequirement(string scope) : AuthorizationHandler<ScopeRequirement>, IAuthorizationRequirement
{
    public string Scope { get; } = scope;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (context.User.HasClaim(ApiCaller.ScopeClaim, Scope))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, $"This credential does not have the scope '{Scope}'."));
        }
        return Task.CompletedTask;
    }
}

/// <summary>Answers a forbidden API request with problem details saying what was missing.</summary>
internal sealed class ApiAuthorizationResultHandler(IProblemDetailsService problemDetails) : IAuthorizationMiddlewareResultHandler
{
    readonly AuthorizationMiddlewareResultHandler fallback = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (result.Forbidden && context.Features.Get<ApiCaller>() is not null)
        {
            var reasons = result.AuthorizationFailure?.FailureReasons.Select(r => r.Message).ToList() ?? [];
            var detail = reasons.Count > 0 ? string.Join(" ", reasons) : "This credential may not do this.";
            await Problems.WriteAsync(problemDetails, context, StatusCodes.Status403Forbidden, "Forbidden", detail, "scope_missing");
            return;
        }
        await fallback.HandleAsync(next, context, policy, result);
    }
}

public static class ApiAuthorizationExtensions
{
    public static string PolicyFor(string scope) => "scope:" + scope;

    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(PolicyFor(scope));

    /// <summary>
    /// Refuses a request whose {departmentCode} route value names a team the credential may not use. A
    /// team-restricted credential gets the same 403 whether or not the team exists, so it learns nothing about it.
    /// </summary>
    public static TBuilder RequireTeamAccess<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var code = http.Request.RouteValues["departmentCode"] as string ?? "";
            if (!http.ApiCaller().MayUseTeam(code.Trim().ToUpperInvariant()))
            {
                return Problems.Result(StatusCodes.Status403Forbidden, "Forbidden",
                    $"This credential may not use team '{(code.Length > 16 ? code[..16] + "…" : code)}'.", "team_not_granted");
            }
            return await next(context);
        });
}
