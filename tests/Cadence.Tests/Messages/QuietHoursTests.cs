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
        await using var m = await MessagesApp.StartAsync(Store.Sqlite, MessagesApp.WorkerAsleep);
        m.App.Time.SetUtcNow(new DateTimeOffset(2026, 9, 2, 3, 0, 0, TimeSpan.Zero)); // 23:00 in New York

        var (bulk, body) = await m.PostAsync("/v2/messages/bulk", new { departmentCode = "SS", messageContent = "Night owl?", recipients = new[] { new { uniqueCampusId = "P1" } } });
        var (single, _) = await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", mobileNumber = "7165550102", messageContent = "Reply to your question" });
        await m.App.DrainOutboxAsync();

        Assert.Equal(HttpStatusCode.OK, bulk.StatusCode);
        Assert.Equal(new DateTime(2026, 9, 2, 10, 0, 0), body.GetProperty("sendsFrom").GetDateTime());
        Assert.Equal(HttpStatusCode.OK, single.StatusCode);
        Assert.Equal("delivered", Assert.Single((await m.PhoneAsync("7165550102")).EnumerateArray()).Str("status"));
        Assert.Equal("queued", Assert.Single((await m.Contacts.GetAsync("/simulator/api/messages?mobileNumber=7165550101")).EnumerateArray()).Str("status"));

        m.App.Time.SetUtcNow(new DateTimeOffset(2026, 9, 2, 10, 0, 0, TimeSpan.Zero));
        await m.App.DrainOutboxAsync();

        Assert.Equal("delivered", Assert.Single((await m.PhoneAsync("7165550101")).EnumerateArray()).Str("status"));
    }

    [Fact]
    public async Task ABulkSendCanBeScheduled()
    {
        await using var m = await MessagesApp.StartAsync(Store.Sqlite, MessagesApp.WorkerAsleep);
        var at = m.App.Time.GetUtcNow().AddHours(2);

        var (_, body) = await m.PostAsync("/v2/messages/bulk", new { departmentCode = "SS", messageContent = "Later", recipients = new[] { new { uniqueCampusId = "P1" } }, scheduledFor = at });
        await m.App.DrainOutboxAsync();
        var waiting = Assert.Single((await m.Contacts.GetAsync("/simulator/api/messages?mobileNumber=7165550101")).EnumerateArray()).Str("status");
        m.App.Time.Advance(TimeSpan.FromHours(2));
        await m.App.DrainOutboxAsync();

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

public sealed class SendThrottleTests
{
    [Fact]
    public async Task TheSendingNumberSendsAtMostItsRatePerSecond()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite, new() { ["Cadence:SendRatePerNumber"] = "2", ["Cadence:OutboxPollInterval"] = "01:00:00" });
        using var client = await app.TeamClientAsync();
        var ct = TestContext.Current.CancellationToken;
        var contacts = Enumerable.Range(0, 5).Select(i => ContactsApp.Row($"P{i}", mobile: $"716555010{i}")).ToArray();
        await client.PostAsync("/v2/contacts/SS/import", System.Net.Http.Json.JsonContent.Create(new { contacts }), ct);
        await client.PostAsync("/v2/messages/bulk", System.Net.Http.Json.JsonContent.Create(new
        {
            departmentCode = "SS", messageContent = "Hello", recipients = Enumerable.Range(0, 5).Select(i => new { uniqueCampusId = $"P{i}" }),
        }), ct);
        async Task<int> Count(string status) => System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/v2/messages?status=" + status, ct))
            .RootElement.GetProperty("messages").GetArrayLength();
        Task<int> Delivered() => Count("delivered");

        // The clock stands still: one second's worth goes, the rest waits however often the worker looks.
        await app.DrainOutboxAsync();
        await app.DrainOutboxAsync();
        Assert.Equal(3, await Count("queued"));
        Assert.True(await Eventually.TrueAsync(async () => await Delivered() == 2));
        app.Time.Advance(TimeSpan.FromSeconds(1));
        await app.DrainOutboxAsync();
        await app.DrainOutboxAsync();
        Assert.Equal(1, await Count("queued"));
        Assert.True(await Eventually.TrueAsync(async () => await Delivered() == 4));
        app.Time.Advance(TimeSpan.FromSeconds(1));
        await app.DrainOutboxAsync();
        Assert.True(await Eventually.TrueAsync(async () => await Delivered() == 5));
    }
}
