using Cadence.Data;
using Cadence.Events;
using Cadence.Tests.Infrastructure;
using Cadence.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace Cadence.Tests.Webhooks;

/// <summary>The real server killed (kill -9) while a delivery is in the receiver's hands: after a restart it is delivered.</summary>
public sealed class WebhookCrashTests
{
    [Fact]
    public async Task ADeliveryCutOffByKillMinusNineIsDeliveredAfterTheRestart()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        await using var receiver = await Receiver.StartAsync();
        var held = new TaskCompletionSource();
        var firstArrived = new TaskCompletionSource();
        receiver.Respond = async (r, context) =>
        {
            if (r.Index == 1)
            {
                firstArrived.TrySetResult();
                await held.Task.WaitAsync(TimeSpan.FromSeconds(30), context.RequestAborted); // never answered: the server dies first
            }
            return 200;
        };
        var added = await CliRunner.RunAsync(database, ["webhooks", "add", $"http://localhost:{receiver.Address.Port}/hooks", "--event", EventTypes.ContactOptedOut]);
        Assert.True(added.ExitCode == 0, added.Error);
        var e = await AppendEventAsync(database);
        string[] settings = ["--Cadence:Webhooks:AllowPrivateNetworks=true", "--Cadence:Webhooks:Timeout=00:00:02", "--Cadence:Webhooks:ClaimLease=00:00:03"];

        await using (var server = await ServerProcess.StartAsync(database, settings))
        {
            await firstArrived.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
            server.Kill();
        }
        Assert.Single(receiver.Requests);

        await using (var server = await ServerProcess.StartAsync(database, settings))
        {
            Assert.True(await receiver.ReceivesAsync(2, seconds: 30), "not delivered after the restart:\n" + server.Output);
            Assert.Equal([e.PublicId, e.PublicId], receiver.Requests.Select(r => r.Headers["webhook-id"].ToString()));
            Assert.True(await Eventually.TrueAsync(async () => (await DeliveryAsync(database)).Status == DeliveryStatus.Succeeded, TimeSpan.FromSeconds(10)));
        }
        Assert.Equal(2, receiver.Requests.Count);
    }

    /// <summary>A CLI-style scope on the database (no server running): what a producer's transaction would write.</summary>
    static async Task<T> WithDbAsync<T>(TestDatabase database, Func<CadenceDb, Task<T>> work)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(database.Settings).Build();
        await using var provider = new ServiceCollection().AddLogging().AddCadenceCore(configuration).BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<CadenceDb>());
    }

    static Task<Event> AppendEventAsync(TestDatabase database) => WithDbAsync(database, async db =>
    {
        var organization = await db.Organizations.SingleAsync();
        var e = db.Append(organization.Id, null, null, EventTypes.ContactOptedOut, DateTime.UtcNow, null, new { source = "keyword" });
        await db.SaveChangesAsync();
        return e;
    });

    static Task<WebhookDelivery> DeliveryAsync(TestDatabase database) =>
        WithDbAsync(database, db => db.WebhookDeliveries().AsNoTracking().SingleAsync());
}
