using System.Text.Json;
using Cadence.Authentication;
using Cadence.Credentials;
using Cadence.Data;
using Cadence.Teams;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Cadence.Events;

/// <summary>A page of the feed. nextCursor is always given: pass it as `after` to read on, now or later.</summary>
public sealed record EventFeedPage(IReadOnlyList<JsonElement> Events, string NextCursor);

/// <summary>
/// GET /v2/events: what happened, oldest first, from a cursor. A credential sees its teams' events (an all-teams one
/// also the team-less ones) of the kinds its read scopes cover: contacts:read for contact and import events,
/// messages:read for message events, either for credential.revoked.
/// </summary>
public static class EventsApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder routes)
    {
        routes.MapApiGroup("/v2/events", "Events").MapGet("", ReadAsync)
            .WithSummary("Events in the order they happened (after, type, departmentCode, limit)")
            .FiltersCallerTeams("the feed's query keeps to the caller's teams; a departmentCode not granted is a 403");
        return routes;
    }

    static async Task<Ok<EventFeedPage>> ReadAsync(string? after, [FromQuery] string[]? type, string? departmentCode, string? limit,
        ApiCaller caller, HttpContext http, CadenceDb db, CancellationToken cancellationToken)
    {
        var size = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out size)
            || size is < 1 or > MaxLimit))
        {
            throw new CadenceException($"limit is 1 to {MaxLimit}.", code: "invalid_limit");
        }
        var cursor = EventCursor.Start;
        if (after is not null && !EventCursor.TryParse(after.Trim(), out cursor))
        {
            throw new CadenceException("after is not a cursor this server gave out (a nextCursor); leave it out to start from the oldest event.",
                code: "invalid_cursor");
        }
        var types = EventScopes.Allowed(caller, Requested(type));
        IReadOnlyCollection<Guid>? teams = caller.TeamIds;
        if (departmentCode is not null)
        {
            teams = [(await TeamAccess.FromQueryAsync(http, db, departmentCode, cancellationToken)).Id];
        }
        var page = await EventFeed.ReadAfterAsync(db, caller.OrganizationId, cursor, teams, types, size, cancellationToken);
        // The stored payload is the event exactly as it was written; it is handed out as it is.
        var events = page.Events.Select(e => JsonDocument.Parse(e.Payload).RootElement).ToList();
        return TypedResults.Ok(new EventFeedPage(events, page.Next.ToString()));
    }

    /// <summary>type may repeat or list several, comma-separated; an unknown one is refused rather than matching nothing.</summary>
    static List<string>? Requested(string[]? type)
    {
        if (type is null || type.Length == 0)
        {
            return null;
        }
        var names = type.SelectMany(t => t.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Select(t => t.ToLowerInvariant()).Distinct().ToList();
        if (names.FirstOrDefault(n => !EventTypes.All.Contains(n)) is { } unknown)
        {
            throw new CadenceException($"There is no event type '{TextCut.Cut(unknown, 40)}'. Types are: {string.Join(", ", EventTypes.All)}.",
                code: "unknown_event_type");
        }
        return names.Count == 0 ? null : names;
    }
}
