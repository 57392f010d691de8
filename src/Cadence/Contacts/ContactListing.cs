using System.Globalization;
using System.Text;
using Cadence.Data;
using Cadence.Teams;

namespace Cadence.Contacts;

public sealed record ContactPage(IReadOnlyList<ContactResponse> Contacts, string? NextCursor);

/// <summary>Contacts in order of last change (then campus id), a page at a time; the cursor is opaque to clients.</summary>
public static class ContactListing
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static Task<ContactPageResult> ListAsync(CallerTeam callerTeam, int? limit, string? cursor, DateTime? updatedSince, CadenceDb db)
    {
        var size = limit ?? DefaultLimit;
        if (size is < 1 or > MaxLimit)
        {
            throw new CadenceException($"limit is 1 to {MaxLimit}.");
        }
        var after = cursor is null ? ((DateTime, string)?)null : Decode(cursor);
        return Task.FromResult(new ContactPageResult(db, callerTeam.Team, size, after, updatedSince?.ToUniversalTime()));
    }

    internal static string Encode(DateTime at, string id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{at.Ticks.ToString(CultureInfo.InvariantCulture)}|{id}"))
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
