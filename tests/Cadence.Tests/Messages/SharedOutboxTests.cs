using System.Net.Http.Json;
using Cadence.Tests.Contacts;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Messages;

/// <summary>Two nodes on one PostgreSQL database share the outbox, and no text goes out twice.</summary>
public sealed class SharedOutboxTests
{
    [Fact]
    public async Task TwoNodesDeliverABulkSendTogetherAndNobodyGetsATextTwice()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var twilio = await FakeTwilio.StartAsync(TimeSpan.FromMilliseconds(1));
        // The account SID tells the fake Twilio which node sent a text.
        Dictionary<string, string?> Node(string account) => new(twilio.Settings(account)) { ["Cadence:OutboxPollInterval"] = "00:00:00.020" };
        await using var database = await TestDatabase.CreateAsync(Store.Postgres);
        await using var nodeA = await CadenceApp.StartAsync(database, Node("ACnodeA"));
        await using var nodeB = await CadenceApp.StartAsync(database, Node("ACnodeB"));
        using var client = await nodeA.TeamClientAsync();
        var contacts = Enumerable.Range(0, 1000).Select(i => ContactsApp.Row($"P{i:D4}", mobile: $"{2002000000L + i * 7}")).ToArray();
        (await client.PostAsJsonAsync("/v2/contacts/SS/import", new { contacts }, ct)).EnsureSuccessStatusCode();

        var bulk = await client.PostAsJsonAsync("/v2/messages/bulk",
            new { departmentCode = "SS", messageContent = "Welcome week starts Monday.", recipients = Enumerable.Range(0, 1000).Select(i => new { uniqueCampusId = $"P{i:D4}" }) }, ct);
        bulk.EnsureSuccessStatusCode();

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(twilio.TextsPerNumber().Count == 1000), TimeSpan.FromSeconds(60)),
            $"{twilio.TextsPerNumber().Count} of 1000 delivered");
        // A text can only go out again while it is queued or sending; once none is, every send has happened.
        async Task<bool> NoneInFlight()
        {
            foreach (var status in new[] { "queued", "sending" })
            {
                var page = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync($"/v2/messages?status={status}", ct));
                if (page.RootElement.GetProperty("messages").GetArrayLength() > 0)
                {
                    return false;
                }
            }
            return true;
        }
        Assert.True(await Eventually.TrueAsync(NoneInFlight, TimeSpan.FromSeconds(30)));
        Assert.All(twilio.TextsPerNumber(), r => Assert.Equal(1, r.Value));
        var byNode = twilio.Requests.GroupBy(r => r.AccountSid).Select(g => g.Key).ToList();
        Assert.True(byNode.Count == 2, $"only {string.Join(", ", byNode)} sent: the nodes did not share the work");
    }
}
