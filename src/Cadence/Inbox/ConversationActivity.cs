using Cadence.Data;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Inbox;

/// <summary>
/// Each conversation's latest text and latest inbound text, kept on its <see cref="ConversationState"/> row as the
/// texts are written (in the writer's transaction), so that the inbox reads one row per conversation instead of
/// grouping the team's texts on every read. Measured in the inbox bench: grouping took a read of /inbox from 16 ms
/// at 2,500 texts to 47 ms at 17,000, and would take seconds at a campus's millions.
/// </summary>
public static class ConversationActivity
{
    /// <summary>
    /// Brings the conversations of these texts (a text and, for a STOP, its confirmation) up to date. Idempotent and
    /// monotonic (the larger id wins). Each writer names only its own texts: a range that also held another writer's
    /// texts would lock their conversations too, and on PostgreSQL two such writers deadlocked.
    /// </summary>
    public static Task RecordAsync(CadenceDb db, DateTime now, long id, long? other, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(Sql(db.IsPostgres, "\"Id\" IN ({1}, {2})", "{0}"), [now, id, other ?? id], cancellationToken);

    /// <summary>A bulk send's texts: the team's bulk texts above the highest id there was before it wrote them.</summary>
    public static Task RecordBulkAsync(CadenceDb db, DateTime now, long after, Guid teamId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(Sql(db.IsPostgres, "\"Id\" > {1} AND \"TeamId\" = {2} AND \"Bulk\" AND \"ContactId\" IS NOT NULL", "{0}"),
            [now, after, teamId], cancellationToken);

    /// <summary>One contact's conversation from all its texts (after a number's texts were filed under it).</summary>
    public static Task RecordContactAsync(CadenceDb db, DateTime now, Guid teamId, Guid contactId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(Sql(db.IsPostgres, "\"TeamId\" = {1} AND \"ContactId\" = {2}", "{0}"), [now, teamId, contactId], cancellationToken);

    /// <summary>A number's conversation from its texts of no contact (in a team, or in none: <paramref name="teamId"/> null).</summary>
    public static Task RecordNumberAsync(CadenceDb db, DateTime now, Guid organizationId, Guid? teamId, string mobileNumber, CancellationToken cancellationToken) =>
        teamId is { } team
            ? db.Database.ExecuteSqlRawAsync(Sql(db.IsPostgres, "\"OrganizationId\" = {1} AND \"ContactId\" IS NULL AND \"MobileNumber\" = {2} AND \"TeamId\" = {3}", "{0}"),
                [now, organizationId, mobileNumber, team], cancellationToken)
            : db.Database.ExecuteSqlRawAsync(Sql(db.IsPostgres, "\"OrganizationId\" = {1} AND \"ContactId\" IS NULL AND \"MobileNumber\" = {2} AND \"TeamId\" IS NULL", "{0}"),
                [now, organizationId, mobileNumber], cancellationToken);

    /// <summary>The highest text id now, before a bulk write whose texts will all have higher ids.</summary>
    public static async Task<long> LastIdAsync(CadenceDb db, CancellationToken cancellationToken) =>
        await db.Messages.MaxAsync(m => (long?)m.Id, cancellationToken) ?? 0;

    /// <summary>The upsert of the conversations of the texts <paramref name="texts"/> names (a condition on "Messages").</summary>
    public static string Sql(bool postgres, string texts, string now)
    {
        var empty = postgres ? "'00000000-0000-0000-0000-000000000000'::uuid" : "'00000000-0000-0000-0000-000000000000'";
        var greatest = postgres ? "GREATEST" : "max";
        return $"""
            INSERT INTO "ConversationStates" ("TeamId", "ContactId", "MobileNumber", "ReadThroughId", "ArchivedThroughId", "UpdatedAt", "LastMessageId", "LastInboundId")
            SELECT COALESCE("TeamId", {empty}), COALESCE("ContactId", {empty}), CASE WHEN "ContactId" IS NULL THEN "MobileNumber" ELSE '' END,
                   0, NULL, {now}, MAX("Id"), MAX(CASE WHEN "Direction" = 'inbound' THEN "Id" ELSE 0 END)
            FROM "Messages" WHERE {texts}
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            ON CONFLICT ("TeamId", "ContactId", "MobileNumber") DO UPDATE SET
                "LastMessageId" = {greatest}("ConversationStates"."LastMessageId", excluded."LastMessageId"),
                "LastInboundId" = {greatest}("ConversationStates"."LastInboundId", excluded."LastInboundId")
            """;
    }
}
