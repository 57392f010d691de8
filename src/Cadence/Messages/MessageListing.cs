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
        string? mobileNumber, string? uniqueCampusId, HttpContext http, CadenceDb db, CancellationToken cancellationToken)
    {
        var caller = http.ApiCaller();
        var size = limit ?? 100;
        if (size is < 1 or > 1000)
        {
            throw new CadenceException("limit is 1 to 1000.");
        }
        var teams = db.Teams.Where(t => t.OrganizationId == caller.OrganizationId);
        var query = db.Messages.AsNoTracking().Where(m => m.OrganizationId == caller.OrganizationId);
        if (departmentCode is not null)
        {
            var team = await Teams.TeamAccess.FromQueryAsync(http, db, departmentCode, cancellationToken);
            query = query.Where(m => m.TeamId == team.Id);
            if (uniqueCampusId is not null)
            {
                // One contact's conversation, whatever numbers it had; an unknown id is an empty page.
                var id = uniqueCampusId.Trim();
                var contactId = await db.Contacts.Where(c => c.TeamId == team.Id && c.UniqueCampusId == id).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(cancellationToken);
                if (contactId is null)
                {
                    return TypedResults.Ok(new MessagePage([], null));
                }
                query = query.Where(m => m.ContactId == contactId);
            }
        }
        else if (uniqueCampusId is not null)
        {
            throw new CadenceException("A uniqueCampusId names a contact within a team: add departmentCode.", code: "department_code_required");
        }
        else if (caller.TeamIds is { } allowed)
        {
            var ids = allowed.ToList();
            query = query.Where(m => m.TeamId != null && ids.Contains(m.TeamId.Value));
        }
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
        var page = await query.OrderByDescending(m => m.Id).Take(size + 1)
            .Select(m => new { Message = m, Code = teams.Where(t => t.Id == m.TeamId).Select(t => t.DepartmentCode).FirstOrDefault() })
            .ToListAsync(cancellationToken);
        var next = page.Count > size ? page[size - 1].Message.Id.ToString(CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new MessagePage([.. page.Take(size).Select(p => p.Message.AsResponse(p.Code))], next));
    }
}
