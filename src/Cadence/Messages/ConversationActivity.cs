using Cadence.Data;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Messages;

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
        UpsertAsync(db, now, $"\"Id\" IN ({id}, {other ?? id})", cancellationToken);

    /// <summary>A bulk send's texts: the team's bulk texts above the highest id there was before it wrote them.</summary>
    public static Task RecordBulkAsync(CadenceDb db, DateTime now, long after, Guid teamId, CancellationToken cancellationToken) =>
        UpsertAsync(db, now, $"\"Id\" > {after} AND \"TeamId\" = {teamId} AND \"Bulk\" AND \"ContactId\" IS NOT NULL", cancellationToken);

    /// <summary>One contact's conversation from all its texts (after a number's texts were filed under it).</summary>
    public static Task RecordContactAsync(CadenceDb db, DateTime now, Guid teamId, Guid contactId, CancellationToken cancellationToken) =>
        UpsertAsync(db, now, $"\"TeamId\" = {teamId} AND \"ContactId\" = {contactId}", cancellationToken);

    /// <summary>A number's conversation from its texts of no contact (in a team, or in none: <paramref name="teamId"/> null).</summary>
    public static Task RecordNumberAsync(CadenceDb db, DateTime now, Guid organizationId, Guid? teamId, string mobileNumber, CancellationToken cancellationToken) =>
        UpsertAsync(db, now, teamId is { } team
            ? (FormattableString)$"\"OrganizationId\" = {organizationId} AND \"ContactId\" IS NULL AND \"MobileNumber\" = {mobileNumber} AND \"TeamId\" = {team}"
            : (FormattableString)$"\"OrganizationId\" = {organizationId} AND \"ContactId\" IS NULL AND \"MobileNumber\" = {mobileNumber} AND \"TeamId\" IS NULL",
            cancellationToken);

    /// <summary>
    /// The one upsert every entry above runs: <paramref name="texts"/> is the condition on "Messages" that picks the
    /// texts, an interpolated string so that its values stay parameters; <paramref name="now"/> goes after them.
    /// </summary>
    static Task UpsertAsync(CadenceDb db, DateTime now, FormattableString texts, CancellationToken cancellationToken)
    {
        object[] parameters = [.. texts.GetArguments()!, now];
        return db.Database.ExecuteSqlRawAsync(Sql(db.IsPostgres, texts.Format, $"{{{texts.ArgumentCount}}}"), parameters, cancellationToken);
    }

    /// <summary>The highest text id now, before a bulk write whose texts will all have higher ids.</summary>
    public static async Task<long> LastIdAsync(CadenceDb db, CancellationToken cancellationToken) =>
        await db.Messages.MaxAsync(m => (long?)m.Id, cancellationToken) ?? 0;

    /// <summary>The upsert of the conversations of the texts <paramref name="texts"/> names (a condition on "Messages").</summary>
    static string Sql(bool postgres, string texts, string now)
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
