using System.Text.Json.Serialization;
using Cadence.Authentication;
using Cadence.Credentials;
using Cadence.Data;
using Cadence.Teams;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Messages;

/// <summary>CreateAndSend: the mobile number or the unique campus id names the contact.</summary>
public sealed record CreateAndSendRequest(
    string? DepartmentCode, string? MessageContent,
    [property: JsonConverter(typeof(StringOrNumberConverter))] string? MobileNumber = null,
    [property: JsonConverter(typeof(StringOrNumberConverter))] string? UniqueCampusId = null,
    [property: JsonConverter(typeof(StringOrNumberConverter))] string? StaffId = null,
    [property: JsonConverter(typeof(StringOrNumberConverter))] string? GroupAccountCode = null) : INamesTeam;

public sealed record BulkSendRequest(string? DepartmentCode, string? MessageContent, List<Recipient>? Recipients, DateTime? ScheduledFor = null) : INamesTeam;

public static class MessagesApi
{
    const long MaxBodyBytes = 16L * 1024 * 1024;

    public static IEndpointRouteBuilder MapMessages(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapApiGroup("/v2/messages", "Messages");

        // The two sends answer through Idempotency: JSON text it also stores for a replay; IdempotentAnswer<T> carries the type.
        group.MapPost("/CreateAndSend", async (TeamBody<CreateAndSendRequest> body, ApiCaller caller, HttpContext http, CadenceDb db, MessageSender sender, TimeProvider time) =>
        {
            var (request, team) = (body.Request, body.Team);
            return await Idempotency.RunAsync(http, db, body.Bytes, time, async () =>
            {
                var message = await sender.SendOneAsync(team, new Recipient(request.MobileNumber, request.UniqueCampusId), request.MessageContent,
                    request.StaffId, request.GroupAccountCode, caller.CredentialId, http.RequestAborted);
                return message.AsResponse(team.DepartmentCode);
            });
        }).RequireScope(Scope.MessagesSend).WithMetadata(new RequestSizeLimitAttribute(64 * 1024))
          .WithBody<CreateAndSendRequest>("application/json")
          .WithSummary("Text one contact (the hosted v2 call); honours Idempotency-Key");

        group.MapPost("/bulk", async (TeamBody<BulkSendRequest> body, ApiCaller caller, HttpContext http, CadenceDb db, MessageSender sender, TimeProvider time) =>
        {
            var (request, team) = (body.Request, body.Team);
            return await Idempotency.RunAsync(http, db, body.Bytes, time, async () =>
                await sender.SendBulkAsync(team, request.MessageContent, request.Recipients ?? [], request.ScheduledFor, caller.CredentialId, http.RequestAborted));
        }).RequireScope(Scope.MessagesSend).WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
          .WithBody<BulkSendRequest>("application/json")
          .WithSummary("Text many contacts once each; reports duplicates, unknown recipients and skipped opted-out contacts");

        group.MapGet("/{id:long}", async Task<Results<Ok<MessageResponse>, ProblemHttpResult>> (
            long id, ApiCaller caller, CadenceDb db, CancellationToken cancellationToken) =>
        {
            var found = await db.Messages.AsNoTracking().Where(m => m.Id == id && m.OrganizationId == caller.OrganizationId)
                .Select(m => new { Message = m, Code = db.Teams.Where(t => t.Id == m.TeamId).Select(t => t.DepartmentCode).FirstOrDefault() })
                .SingleOrDefaultAsync(cancellationToken);
            return found is null || (found.Message.TeamId is { } teamId ? !caller.MayUseTeam(teamId) : !caller.AllTeams)
                ? Problems.Result(StatusCodes.Status404NotFound, "Not found", $"There is no message {id}.", "message_not_found")
                : TypedResults.Ok(found.Message.AsResponse(found.Code));
        }).RequireScope(Scope.MessagesRead).WithSummary("One message and its delivery status")
          .FiltersCallerTeams("the message's team checked with MayUseTeam; another team's message is a 404");

        group.MapGet("", MessageListing.ListAsync).RequireScope(Scope.MessagesRead)
            .WithSummary("Outgoing and inbound messages, newest first (departmentCode, since, status, direction, mobileNumber, uniqueCampusId, cursor, limit)")
            .FiltersCallerTeams("the listing's query keeps to the caller's teams; a departmentCode not granted is a 403");

        return routes;
    }
}
