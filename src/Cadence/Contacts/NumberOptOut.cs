using Cadence.Data;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Contacts;

/// <summary>
/// An opt-out that belongs to the number, not to a contact record (PRODUCT §4): a STOP the student texted
/// (source "keyword", which only the student's START undoes), a STOP from a number that is no contact, and the
/// opt-out of a contact since deleted. A contact later given the number starts opted out.
/// </summary>
public sealed class NumberOptOut
{
    /// <summary>Stands for every team: a STOP from a number no team had texted or held.</summary>
    public static readonly Guid EveryTeam = Guid.Empty;
    public const string Keyword = "keyword";

    public Guid OrganizationId { get; set; }
    public Guid TeamId { get; set; }
    public required string MobileNumber { get; set; }

    /// <summary>keyword, or the source of a deleted contact's opt-out (import, api).</summary>
    public required string Source { get; set; }
    public DateTime At { get; set; }

    public bool ByStudent => Source == Keyword;

    /// <summary>
    /// The team's opted-out numbers (its own and those of every team), or those of them among <paramref name="among"/>,
    /// and whether the student said so by text.
    /// </summary>
    public static async Task<Dictionary<string, bool>> ForTeamAsync(CadenceDb db, Guid organizationId, Guid teamId, CancellationToken cancellationToken,
        IReadOnlyCollection<string>? among = null)
    {
        var query = db.NumberOptOuts.AsNoTracking().Where(o => o.OrganizationId == organizationId && (o.TeamId == teamId || o.TeamId == EveryTeam));
        if (among is not null)
        {
            query = query.Where(o => among.Contains(o.MobileNumber));
        }
        var rows = await query.Select(o => new { o.MobileNumber, o.Source }).ToListAsync(cancellationToken);
        var numbers = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            numbers[row.MobileNumber] = (numbers.TryGetValue(row.MobileNumber, out var byStudent) && byStudent) || row.Source == Keyword;
        }
        return numbers;
    }

    /// <summary>
    /// Remembers that a number opted out of a team, in the caller's transaction. One statement, not a read then an
    /// insert: two STOPs from one number side by side (no team lock covers a number that is no contact) would
    /// otherwise both insert, and one would fail on the key. The student's own word outranks an import's.
    /// </summary>
    public static async Task RememberAsync(CadenceDb db, Guid organizationId, Guid teamId, string mobileNumber, string source, DateTime at, CancellationToken cancellationToken)
    {
        // Hand-written: EF Core has no upsert. SQLite stores Guids and times as text in EF Core's own formats.
        object[] values = db.IsPostgres
            ? [organizationId, teamId, mobileNumber, source, at, Keyword]
            : [SqliteBulk.Guid(organizationId), SqliteBulk.Guid(teamId), mobileNumber, source, SqliteBulk.Time(at), Keyword];
        await db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO "NumberOptOuts" ("OrganizationId", "TeamId", "MobileNumber", "Source", "At") VALUES ({0}, {1}, {2}, {3}, {4})
            ON CONFLICT ("OrganizationId", "TeamId", "MobileNumber") DO UPDATE SET "Source" = excluded."Source", "At" = excluded."At"
            WHERE excluded."Source" = {5} AND "NumberOptOuts"."Source" <> {5}
            """, values, cancellationToken);
    }

    /// <summary>The student texted START: every opt-out of the number in the team (and of every team) ends with the caller's change.</summary>
    public static async Task ForgetAsync(CadenceDb db, Guid organizationId, Guid? teamId, string mobileNumber, CancellationToken cancellationToken) =>
        db.NumberOptOuts.RemoveRange(await db.NumberOptOuts
            .Where(o => o.OrganizationId == organizationId && o.MobileNumber == mobileNumber && (o.TeamId == teamId || o.TeamId == EveryTeam))
            .ToListAsync(cancellationToken));
}
