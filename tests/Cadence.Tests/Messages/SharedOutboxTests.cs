using System.Collections.Concurrent;
using System.Net.Http.Json;
using Cadence.Tests.Contacts;
using Cadence.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Cadence.Tests.Messages;

/// <summary>Two nodes on one PostgreSQL database share the outbox, and no text goes out twice.</summary>
public sealed class SharedOutboxTests
{
    [Fact]
    public async Task TwoNodesDeliverABulkSendTogetherAndNobodyGetsATextTwice()
    {
        var ct = TestContext.Current.CancellationToken;
        var received = new ConcurrentDictionary<string, int>();
        var byNode = new ConcurrentDictionary<string, int>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var twilio = builder.Build();
        twilio.MapPost("/2010-04-01/Accounts/{sid}/Messages.json", async (string sid, HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            received.AddOrUpdate(form["To"].ToString(), 1, (_, n) => n + 1);
            byNode.AddOrUpdate(sid, 1, (_, n) => n + 1);
            await Task.Delay(1);
            return Results.Json(new { sid = "SM" + Guid.NewGuid().ToString("N") }, statusCode: 201);
        });
        await twilio.StartAsync(ct);
        // The account SID tells the fake Twilio which node sent a text.
        Dictionary<string, string?> Node(string account) => new()
        {
            ["Cadence:SmsProvider"] = "twilio", ["Cadence:Twilio:AccountSid"] = account, ["Cadence:Twilio:AuthToken"] = "token",
            ["Cadence:Twilio:From"] = "7165550000", ["Cadence:Twilio:PublicUrl"] = "https://sms.college.example", ["Cadence:Twilio:BaseUrl"] = twilio.Urls.First(),
            ["Cadence:OutboxPollInterval"] = "00:00:00.020",
        };
        await using var database = await TestDatabase.CreateAsync(Store.Postgres);
        await using var nodeA = await CadenceApp.StartAsync(database, Node("ACnodeA"));
        await using var nodeB = await CadenceApp.StartAsync(database, Node("ACnodeB"));
        await nodeA.AddTeamAsync("SS");
        using var client = nodeA.Http(await nodeA.CreateCredentialAsync());
        var contacts = Enumerable.Range(0, 1000).Select(i => ContactsApp.Row($"P{i:D4}", mobile: $"{2000000000L + i * 7}")).ToArray();
        (await client.PostAsJsonAsync("/v2/contacts/SS/import", new { contacts }, ct)).EnsureSuccessStatusCode();

        var bulk = await client.PostAsJsonAsync("/v2/messages/bulk",
            new { departmentCode = "SS", messageContent = "Welcome week starts Monday.", recipients = Enumerable.Range(0, 1000).Select(i => new { uniqueCampusId = $"P{i:D4}" }) }, ct);
        bulk.EnsureSuccessStatusCode();

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(received.Count == 1000), TimeSpan.FromSeconds(60)), $"{received.Count} of 1000 delivered");
        await Task.Delay(300, ct); // nothing more should arrive
        Assert.All(received, r => Assert.Equal(1, r.Value));
        Assert.Equal(1000, byNode.Values.Sum());
        Assert.True(byNode.Count == 2, $"only {string.Join(", ", byNode.Keys)} sent: the nodes did not share the work");
    }
}
