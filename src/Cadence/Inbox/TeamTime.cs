using System.Globalization;

namespace Cadence.Inbox;

/// <summary>Console times in a team's time zone (the API stays UTC); an unknown zone falls back to UTC, named so.</summary>
public static class TeamTime
{
    public static string Format(DateTime utc, string? zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Find(zone)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The zone as shown beside the times: its IANA name, or UTC.</summary>
    public static string Name(string? zone) => Find(zone) == TimeZoneInfo.Utc ? "UTC" : zone!;

    static TimeZoneInfo Find(string? zone) =>
        zone is not null && TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var found) ? found : TimeZoneInfo.Utc;
}
