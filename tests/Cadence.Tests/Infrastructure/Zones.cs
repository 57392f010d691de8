namespace Cadence.Tests.Infrastructure;

public static class Zones
{
    /// <summary>A time zone where it is day now (07:00 to 20:00), so that quiet hours do not hold a bulk send back.</summary>
    public static string Daytime() =>
        new[] { "America/New_York", "Europe/London", "Asia/Tokyo", "Pacific/Honolulu", "Asia/Kolkata" }
            .First(zone => TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, TimeZoneInfo.FindSystemTimeZoneById(zone)).Hour is >= 7 and < 20);
}
