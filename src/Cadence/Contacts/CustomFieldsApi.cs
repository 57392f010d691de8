using Cadence.Authentication;
using Cadence.Credentials;
using Cadence.Teams;

namespace Cadence.Contacts;

public sealed record NewCustomFieldRequest(string? Name, bool Required = false, bool Mergeable = false, bool HiddenFromStaff = false);

public static class CustomFieldsApi
{
    public static IEndpointRouteBuilder MapCustomFields(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapTeamGroup("/v2/teams/{departmentCode}/fields", "Contacts");

        group.MapGet("", async (CallerTeam callerTeam, CustomFieldService fields, CancellationToken cancellationToken) =>
        {
            var team = callerTeam.Team;
            return TypedResults.Ok((await fields.ListAsync(team, cancellationToken)).Select(f => f.AsResponse()).ToList());
        }).RequireScope(Scope.ContactsRead).WithSummary("The team's custom fields");

        group.MapPost("", async (CallerTeam callerTeam, NewCustomFieldRequest request, HttpContext http, CustomFieldService fields, CancellationToken cancellationToken) =>
        {
            var team = callerTeam.Team;
            var field = await fields.AddAsync(team, request.Name ?? "", request.Required, request.Mergeable, request.HiddenFromStaff, http.ApiActor(), cancellationToken);
            return TypedResults.Created($"/v2/teams/{team.DepartmentCode}/fields", field.AsResponse());
        }).RequireScope(Scope.ContactsWrite).WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(64 * 1024))
          .WithSummary("Define a custom field, before importing values for it");

        return routes;
    }
}
