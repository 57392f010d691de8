using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Messages;

/// <summary>
/// The real server killed in the middle of a large send through (fake) Twilio, then started again: no text
/// is lost and no phone gets a text twice.
/// </summary>
public sealed class DeliveryCrashTests
{
    const int Students = 2000;

    [Fact]
    public async Task KillingTheServerMidSendLosesNothingAndTextsNobodyTwice()
    {
        var ct = TestContext.Current.CancellationToken;
        // A carrier takes a moment per text, so that the kill lands mid-send.
        await using var twilio = await FakeTwilio.StartAsync(TimeSpan.FromMilliseconds(2));
        var settings = twilio.Arguments();

        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        Assert.Equal(0, (await CliRunner.RunAsync(database, ["teams", "add", "SS", "--name", "Student Success", "--time-zone", Zones.Daytime()])).ExitCode);
        var created = await CliRunner.CreateCredentialAsync(database, "crash");
        var basic = new AuthenticationHeaderValue("Basic", created.Basic);

        await using (var server = await ServerProcess.StartAsync(database, settings))
        {
            using var client = new HttpClient { BaseAddress = server.Address };
            client.DefaultRequestHeaders.Authorization = basic;
            var contacts = Enumerable.Range(0, Students).Select(i => new { uniqueCampusId = $"P{i:D5}", firstName = "F", lastName = "L", mobileNumber = $"{2002000000L + i * 7}" });
            (await client.PostAsJsonAsync("/v2/contacts/SS/import", new { contacts }, ct)).EnsureSuccessStatusCode();
            var bulk = await client.PostAsJsonAsync("/v2/messages/bulk",
                new { departmentCode = "SS", messageContent = "Classes resume Monday.", recipients = contacts.Select(c => new { c.uniqueCampusId }) }, ct);
            bulk.EnsureSuccessStatusCode();

            Assert.True(await Eventually.TrueAsync(() => Task.FromResult(twilio.Requests.Count >= 100), TimeSpan.FromSeconds(30)), "the send never started");
            server.Kill();
        }
        Assert.True(twilio.Requests.Count < Students, "the whole send finished before the kill");

        // Started again, with the dead server's claims and "sending" texts taken over at once rather than after minutes.
        await using (var server = await ServerProcess.StartAsync(database, [.. settings, "--Cadence:SendingLease=00:00:00", "--Cadence:ClaimLease=00:00:00"]))
        {
            using var client = new HttpClient { BaseAddress = server.Address };
            client.DefaultRequestHeaders.Authorization = basic;
            async Task<int> Count(string status)
            {
                var count = 0;
                string? cursor = null;
                for (var page = 0; page < 20; page++)
                {
                    var body = JsonDocument.Parse(await client.GetStringAsync(
                        $"/v2/messages?departmentCode=SS&status={status}&limit=1000" + (cursor is null ? "" : "&cursor=" + cursor), ct)).RootElement;
                    count += body.GetProperty("messages").GetArrayLength();
                    cursor = body.GetProperty("nextCursor").GetString();
                    if (cursor is null)
                    {
                        break;
                    }
                }
                return count;
            }
            var left = "";
            Assert.True(await Eventually.TrueAsync(async () => (left = $"{await Count("queued")} queued, {await Count("sending")} sending") == "0 queued, 0 sending",
                TimeSpan.FromSeconds(180)), left + "\n" + server.Output);

            var sent = await Count("sent");
            var unknown = await Count("failed");
            var received = twilio.TextsPerNumber();
            Assert.All(received, r => Assert.Equal(1, r.Value)); // nobody texted twice
            Assert.Equal(Students, sent + unknown); // nothing lost: every text either went or is marked unknown
            Assert.True(received.Count >= sent, "a text marked sent never reached the carrier");
            Assert.True(unknown <= 50, $"{unknown} texts ended 'delivery state unknown'; only the chunk in flight at the kill should");
        }
    }
}
