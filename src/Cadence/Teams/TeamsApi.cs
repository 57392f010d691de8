using Cadence.Authentication;
using Cadence.Data;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Teams;

public static class TeamsApi
{
    public static IEndpointRouteBuilder MapTeams(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapApiGroup("/v2/teams", "Teams");

        group.MapGet("", async (HttpContext http, CadenceDb db, CancellationToken cancellationToken) =>
        {
            var caller = http.ApiCaller();
            var teams = await db.Teams
                .Where(t => t.OrganizationId == caller.OrganizationId)
                .OrderBy(t => t.DepartmentCode)
                .ToListAsync(cancellationToken);
            return TypedResults.Ok(teams.Where(t => caller.MayUseTeam(t.Id)).Select(t => t.AsResponse()).ToList());
        }).WithSummary("The teams this credential may use");

        group.MapGet("/{departmentCode}", async (string departmentCode, HttpContext http, CadenceDb db, CancellationToken cancellationToken) =>
            TypedResults.Ok((await TeamLookup.FindAsync(db, http.ApiCaller(), departmentCode, cancellationToken)).AsResponse()))
            .RequireTeamAccess().WithSummary("One team by its department code");

        return routes;
    }
}
