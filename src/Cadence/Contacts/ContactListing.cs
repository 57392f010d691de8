using System.Globalization;
using System.Text;
using Cadence.Authentication;
using Cadence.Data;
using Cadence.Teams;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Contacts;

public sealed record ContactPage(IReadOnlyList<ContactResponse> Contacts, string? NextCursor);

/// <summary>Contacts in order of last change (then campus id), a page at a time; the cursor is opaque to clients.</summary>
public static class ContactListing
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static async Task<IResult> ListAsync(
        string departmentCode, int? limit, string? cursor, DateTime? updatedSince, HttpContext http, CadenceDb db, CancellationToken cancellationToken)
    {
        var team = await TeamLookup.FindAsync(db, http.ApiCaller(), departmentCode, cancellationToken);
        var size = limit ?? DefaultLimit;
        if (size is < 1 or > MaxLimit)
        {
            throw new CadenceException($"limit is 1 to {MaxLimit}.");
        }
        var query = db.Contacts.AsNoTracking().Where(c => c.TeamId == team.Id);
        if (updatedSince is { } since)
        {
            var utc = since.ToUniversalTime();
            query = query.Where(c => c.UpdatedAt >= utc);
        }
        if (cursor is not null)
        {
            var (at, id) = Decode(cursor);
            query = query.Where(c => c.UpdatedAt > at || (c.UpdatedAt == at && string.Compare(c.UniqueCampusId, id) > 0));
        }
        var contacts = await query.OrderBy(c => c.UpdatedAt).ThenBy(c => c.UniqueCampusId).Take(size + 1).ToListAsync(cancellationToken);
        var next = contacts.Count > size ? Encode(contacts[size - 1]) : null;
        return TypedResults.Ok(new ContactPage([.. contacts.Take(size).Select(c => c.AsResponse())], next));
    }

    static string Encode(Contact last) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{last.UpdatedAt.Ticks.ToString(CultureInfo.InvariantCulture)}|{last.UniqueCampusId}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    static (DateTime, string) Decode(string cursor)
    {
        try
        {
            var text = cursor.Replace('-', '+').Replace('_', '/');
            text = text.PadRight(text.Length + (4 - text.Length % 4) % 4, '=');
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(text)).Split('|', 2);
            return (new DateTime(long.Parse(parts[0], CultureInfo.InvariantCulture), DateTimeKind.Utc), parts[1]);
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or ArgumentException or OverflowException)
        {
            throw new CadenceException("The cursor is not one this server gave out; start again without it.");
        }
    }
}
