using Cadence.Teams;

namespace Cadence.Messages;

/// <summary>Bulk texts do not go out between 22:00 and 06:00 in the team's time zone: they wait for the morning.</summary>
public static class QuietHours
{
    public const int Starts = 22;
    public const int Ends = 6;

    /// <summary>The earliest moment at or after <paramref name="utc"/> outside quiet hours, in UTC.</summary>
    public static DateTime NextAllowed(DateTime utc, string timeZone)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var found) ? found : TimeZoneInfo.FindSystemTimeZoneById(Team.DefaultTimeZone);
        var local = TimeZoneInfo.ConvertTimeFromUtc(utc, zone);
        if (local.Hour is >= Ends and < Starts)
        {
            return utc;
        }
        var morning = local.Date.AddHours(Ends);
        if (local.Hour >= Starts)
        {
            morning = morning.AddDays(1);
        }
        return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(morning, DateTimeKind.Unspecified), zone);
    }
}
