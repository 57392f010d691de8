using System.Globalization;
using System.Text;
using Cadence.Data;
using Cadence.Teams;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Contacts;

public sealed record ContactPage(IReadOnlyList<ContactResponse> Contacts, string? NextCursor);

/// <summary>Contacts in order of last change (then campus id), a page at a time; the cursor is opaque to clients.</summary>
public static class ContactListing
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static async Task<Ok<ContactPage>> ListAsync(
        CallerTeam callerTeam, int? limit, string? cursor, DateTime? updatedSince, CadenceDb db, CancellationToken cancellationToken)
    {
        var team = callerTeam.Team;
        var size = limit ?? DefaultLimit;
        if (size is < 1 or > MaxLimit)
        {
            throw new CadenceException($"limit is 1 to {MaxLimit}.");
        }
        IQueryable<Contact> query;
        if (cursor is not null)
        {
            var (at, id) = Decode(cursor);
            query = After(db, team.Id, at, id);
        }
        else
        {
            query = db.Contacts.Where(c => c.TeamId == team.Id);
        }
        query = query.AsNoTracking();
        if (updatedSince is { } since)
        {
            var utc = since.ToUniversalTime();
            query = query.Where(c => c.UpdatedAt >= utc);
        }
        var contacts = await query.OrderBy(c => c.UpdatedAt).ThenBy(c => c.UniqueCampusId).Take(size + 1).ToListAsync(cancellationToken);
        var next = contacts.Count > size ? Encode(contacts[size - 1]) : null;
        return TypedResults.Ok(new ContactPage([.. contacts.Take(size).Select(c => c.AsResponse())], next));
    }

    /// <summary>
    /// The team's contacts after the cursor, as a row comparison (UpdatedAt, UniqueCampusId) > (at, id): both
    /// databases plan it as one range scan of the listing's index. The equivalent `UpdatedAt > at OR (UpdatedAt = at
    /// AND UniqueCampusId > id)` makes them read the rest of the cursor's timestamp group for every page (an import
    /// gives 100,000 contacts one timestamp): measured on 1,000,000 rows, 15 ms a page on PostgreSQL and 8 ms on
    /// SQLite, against 0.3 ms for both with the row comparison. SQLite's EF provider cannot express it, hence the
    /// one hand-written query (in the text forms the provider stores: see SqliteBulk).
    /// </summary>
    static IQueryable<Contact> After(CadenceDb db, Guid teamId, DateTime at, string id) => db.IsPostgres
        ? db.Contacts.Where(c => c.TeamId == teamId && EF.Functions.GreaterThan(ValueTuple.Create(c.UpdatedAt, c.UniqueCampusId), ValueTuple.Create(at, id)))
        : db.Contacts.FromSql($"SELECT * FROM \"Contacts\" WHERE \"TeamId\" = {SqliteBulk.Guid(teamId)} AND (\"UpdatedAt\", \"UniqueCampusId\") > ({SqliteBulk.Time(at)}, {id})");

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
