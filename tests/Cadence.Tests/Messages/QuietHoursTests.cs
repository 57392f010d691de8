using System.Net;
using Cadence.Messages;
using Cadence.Tests.Contacts;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Messages;

public sealed class QuietHoursTests
{
    [Fact]
    public void QuietHoursRunFrom22To6InTheTeamsTimeZone()
    {
        var newYork = "America/New_York";

        Assert.Equal(new DateTime(2026, 9, 1, 14, 0, 0), QuietHours.NextAllowed(new DateTime(2026, 9, 1, 14, 0, 0), newYork)); // 10:00 EDT
        Assert.Equal(new DateTime(2026, 9, 2, 10, 0, 0), QuietHours.NextAllowed(new DateTime(2026, 9, 2, 3, 0, 0), newYork)); // 23:00 EDT → 06:00
        Assert.Equal(new DateTime(2026, 9, 2, 10, 0, 0), QuietHours.NextAllowed(new DateTime(2026, 9, 2, 7, 30, 0), newYork)); // 03:30 EDT → 06:00
        Assert.Equal(new DateTime(2026, 12, 2, 11, 0, 0), QuietHours.NextAllowed(new DateTime(2026, 12, 2, 3, 0, 0), newYork)); // EST in winter
        Assert.Equal(new DateTime(2026, 9, 2, 13, 0, 0), QuietHours.NextAllowed(new DateTime(2026, 9, 2, 5, 0, 0), "America/Los_Angeles"));
    }

    [Fact]
    public async Task ABulkSendAtNightWaitsForTheMorningButASingleTextGoesAtOnce()
    {
        await using var m = await MessagesApp.StartAsync(Store.Sqlite);
        m.App.Time.SetUtcNow(new DateTimeOffset(2026, 9, 2, 3, 0, 0, TimeSpan.Zero)); // 23:00 in New York

        var (bulk, body) = await m.PostAsync("/v2/messages/bulk", new { departmentCode = "SS", messageContent = "Night owl?", recipients = new[] { new { uniqueCampusId = "P1" } } });
        var (single, _) = await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", mobileNumber = "7165550102", messageContent = "Reply to your question" });

        Assert.Equal(HttpStatusCode.OK, bulk.StatusCode);
        Assert.Equal(new DateTime(2026, 9, 2, 10, 0, 0), body.GetProperty("sendsFrom").GetDateTime());
        Assert.Equal(HttpStatusCode.OK, single.StatusCode);
        Assert.Equal("delivered", Assert.Single((await m.PhoneAsync("7165550102")).EnumerateArray()).Str("status"));
        await Task.Delay(600, TestContext.Current.CancellationToken); // several worker polls
        Assert.Equal("queued", Assert.Single((await m.Contacts.GetAsync("/simulator/api/messages?mobileNumber=7165550101")).EnumerateArray()).Str("status"));

        m.App.Time.SetUtcNow(new DateTimeOffset(2026, 9, 2, 10, 0, 0, TimeSpan.Zero));

        Assert.Equal("delivered", Assert.Single((await m.PhoneAsync("7165550101")).EnumerateArray()).Str("status"));
    }

    [Fact]
    public async Task ABulkSendCanBeScheduled()
    {
        await using var m = await MessagesApp.StartAsync(Store.Sqlite);
        var at = m.App.Time.GetUtcNow().AddHours(2);

        var (_, body) = await m.PostAsync("/v2/messages/bulk", new { departmentCode = "SS", messageContent = "Later", recipients = new[] { new { uniqueCampusId = "P1" } }, scheduledFor = at });
        await Task.Delay(600, TestContext.Current.CancellationToken);
        var waiting = Assert.Single((await m.Contacts.GetAsync("/simulator/api/messages?mobileNumber=7165550101")).EnumerateArray()).Str("status");
        m.App.Time.Advance(TimeSpan.FromHours(2));

        Assert.Equal(at.UtcDateTime, body.GetProperty("sendsFrom").GetDateTime());
        Assert.Equal("queued", waiting);
        Assert.Equal("delivered", Assert.Single((await m.PhoneAsync("7165550101")).EnumerateArray()).Str("status"));
    }

    [Fact]
    public async Task TeamsHaveATimeZone()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);

        var added = await CliRunner.RunAsync(database, ["teams", "add", "WEST", "--name", "West campus", "--time-zone", "America/Los_Angeles"]);
        var bad = await CliRunner.RunAsync(database, ["teams", "add", "MARS", "--name", "Mars", "--time-zone", "Mars/Olympus_Mons"]);
        var list = await CliRunner.RunAsync(database, ["teams", "list", "--json"]);

        Assert.Equal(0, added.ExitCode);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("not a time zone", bad.Error);
        Assert.Contains("\"timeZone\": \"America/Los_Angeles\"", list.Out);
    }
}
