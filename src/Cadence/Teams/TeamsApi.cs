using Cadence.Authentication;
using Cadence.Data;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Teams;

public static class TeamsApi
{
    public static IEndpointRouteBuilder MapTeams(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapApiGroup("/v2/teams", "Teams");

        group.MapGet("", async (ApiCaller caller, CadenceDb db, CancellationToken cancellationToken) =>
        {
            var teams = await db.Teams
                .Where(t => t.OrganizationId == caller.OrganizationId)
                .OrderBy(t => t.DepartmentCode)
                .ToListAsync(cancellationToken);
            return TypedResults.Ok(teams.Where(t => caller.MayUseTeam(t.Id)).Select(t => t.AsResponse()).ToList());
        }).WithSummary("The teams this credential may use").FiltersCallerTeams("lists only the teams MayUseTeam allows");

        group.MapGet("/{departmentCode}", (CallerTeam callerTeam) => TypedResults.Ok(callerTeam.Team.AsResponse()))
            .RequireCallerTeam().WithSummary("One team by its department code");

        return routes;
    }
}
