using System.Globalization;
using Cadence.Authentication;
using Cadence.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Messages;

public sealed record MessagePage(IReadOnlyList<MessageResponse> Messages, string? NextCursor);

/// <summary>
/// Messages newest first, a page at a time; only teams the credential may use. mobileNumber or uniqueCampusId
/// narrow it to one student's conversation, both directions.
/// </summary>
public static class MessageListing
{
    public static async Task<Ok<MessagePage>> ListAsync(string? departmentCode, DateTime? since, string? status, string? direction, string? cursor, int? limit,
        string? mobileNumber, string? uniqueCampusId, ApiCaller caller, HttpContext http, CadenceDb db, CancellationToken cancellationToken)
    {
        var size = limit ?? 100;
        if (size is < 1 or > 1000)
        {
            throw new CadenceException("limit is 1 to 1000.");
        }
        var query = await VisibleAsync(departmentCode, uniqueCampusId, caller, http, db, cancellationToken);
        if (query is null)
        {
            return TypedResults.Ok(new MessagePage([], null));
        }
        query = Narrowed(query, mobileNumber, since, status, direction, cursor);
        var teams = db.Teams.Where(t => t.OrganizationId == caller.OrganizationId);
        var page = await query.OrderByDescending(m => m.Id).Take(size + 1)
            .Select(m => new { Message = m, Code = teams.Where(t => t.Id == m.TeamId).Select(t => t.DepartmentCode).FirstOrDefault() })
            .ToListAsync(cancellationToken);
        var next = page.Count > size ? page[size - 1].Message.Id.ToString(CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new MessagePage([.. page.Take(size).Select(p => p.Message.AsResponse(p.Code))], next));
    }

    /// <summary>
    /// The messages the caller may see: one team's (departmentCode, checked against the grant), perhaps one contact's
    /// of it; else every team the credential may use. Null: a uniqueCampusId the team does not know, an empty page.
    /// </summary>
    static async Task<IQueryable<Message>?> VisibleAsync(string? departmentCode, string? uniqueCampusId, ApiCaller caller, HttpContext http, CadenceDb db,
        CancellationToken cancellationToken)
    {
        var query = db.Messages.AsNoTracking().Where(m => m.OrganizationId == caller.OrganizationId);
        if (departmentCode is not null)
        {
            var team = await Teams.TeamAccess.FromQueryAsync(http, db, departmentCode, cancellationToken);
            query = query.Where(m => m.TeamId == team.Id);
            if (uniqueCampusId is null)
            {
                return query;
            }
            // One contact's conversation, whatever numbers it had.
            var id = uniqueCampusId.Trim();
            var contactId = await db.Contacts.Where(c => c.TeamId == team.Id && c.UniqueCampusId == id).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(cancellationToken);
            return contactId is null ? null : query.Where(m => m.ContactId == contactId);
        }
        if (uniqueCampusId is not null)
        {
            throw new CadenceException("A uniqueCampusId names a contact within a team: add departmentCode.", code: "department_code_required");
        }
        if (caller.TeamIds is { } allowed)
        {
            var ids = allowed.ToList();
            query = query.Where(m => m.TeamId != null && ids.Contains(m.TeamId.Value));
        }
        return query;
    }

    /// <summary>The query parameters that narrow any listing: a number, a start time, a status, a direction, and the cursor (ids below it).</summary>
    static IQueryable<Message> Narrowed(IQueryable<Message> query, string? mobileNumber, DateTime? since, string? status, string? direction, string? cursor)
    {
        if (mobileNumber is not null)
        {
            if (!Contacts.PhoneNumber.TryNormalize(mobileNumber, out var number))
            {
                throw new CadenceException($"mobileNumber is not a mobile number: {Contacts.PhoneNumber.Rule}.", code: "invalid_mobile_number");
            }
            query = query.Where(m => m.MobileNumber == number);
        }
        if (since is { } from)
        {
            var utc = from.ToUniversalTime();
            query = query.Where(m => m.CreatedAt >= utc);
        }
        if (status is not null)
        {
            query = query.Where(m => m.Status == status.ToLowerInvariant());
        }
        if (direction is not null)
        {
            query = query.Where(m => m.Direction == direction.ToLowerInvariant());
        }
        if (cursor is not null)
        {
            if (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var before))
            {
                throw new CadenceException("The cursor is not one this server gave out; start again without it.");
            }
            query = query.Where(m => m.Id < before);
        }
        return query;
    }
}
