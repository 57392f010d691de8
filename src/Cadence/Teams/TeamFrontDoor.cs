using Cadence.Authentication;
using Cadence.Data;

namespace Cadence.Teams;

/// <summary>Marks an endpoint whose {departmentCode} passed the front door; a test checks every such route has it.</summary>
public sealed class TeamScopedMetadata
{
    public static readonly TeamScopedMetadata Instance = new();
}

/// <summary>
/// The front door of the /v2/.../{departmentCode}/... calls: a filter on their group finds the caller's team once
/// (403 team_not_granted, 404 team_not_found) and hands it to the handler as a <see cref="CallerTeam"/>.
/// </summary>
public static class TeamFrontDoor
{
    public const string RouteValue = "departmentCode";

    /// <summary>A group of client API endpoints under a {departmentCode} prefix, each behind the front door.</summary>
    public static RouteGroupBuilder MapTeamGroup(this IEndpointRouteBuilder routes, string prefix, string tag) =>
        routes.MapApiGroup(prefix, tag).RequireCallerTeam();

    /// <summary>
    /// The filter runs after the parameters are bound (as the check it replaces did), so a bad body is still a 400
    /// before the team is looked at; the handler runs only with the team found.
    /// </summary>
    public static TBuilder RequireCallerTeam<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(TeamScopedMetadata.Instance).AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var given = http.Request.RouteValues[RouteValue] as string ?? "";
            var caller = http.ApiCaller();
            if (!TeamAccess.IsGranted(caller, given))
            {
                // Answered, not thrown, as before: the exception handler would clear the response's headers.
                return Problems.Result(StatusCodes.Status403Forbidden, "Forbidden", TeamAccess.NotGrantedDetail(given), "team_not_granted");
            }
            var db = http.RequestServices.GetRequiredService<CadenceDb>();
            http.Features.Set(new CallerTeam.Found(await TeamAccess.FindGrantedAsync(http, db, caller, given, http.RequestAborted)));
            return await next(context);
        });
}
