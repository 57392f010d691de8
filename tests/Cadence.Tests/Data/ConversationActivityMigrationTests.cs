using System.Net;
using Cadence.Data;
using Cadence.Messages;
using Cadence.Tests.Infrastructure;
using Cadence.Tests.Messages;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;

namespace Cadence.Tests.Data;

/// <summary>The inbox's stored conversation rows are filled, by the upgrade, from the texts an older Cadence wrote.</summary>
public sealed class ConversationActivityMigrationTests
{
    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task AnUpgradeGivesEachConversationItsLatestTextAndLatestInboundText(Store store)
    {
        // Kept running (its database goes with it), with the outbox asleep so that nothing writes while the schema moves.
        await using var m = await MessagesApp.StartAsync(store, MessagesApp.WorkerAsleep);
        long sent, received;
        TestDatabase database;
        {
            var (response, _) = await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", uniqueCampusId = "P1", messageContent = "Hello" });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await m.PostAsync("/simulator/api/reply", new { mobileNumber = "716-555-0101", body = "Hi back" })).Item1.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", uniqueCampusId = "P1", messageContent = "Great" })).Item1.StatusCode);
            // A number no team knows: a conversation of no team and no contact.
            Assert.Equal(HttpStatusCode.OK, (await m.PostAsync("/simulator/api/reply", new { mobileNumber = "716-555-0199", body = "Who is this?" })).Item1.StatusCode);
            database = m.App.Database;
            (sent, received) = await m.App.WithServicesAsync(async (services, _) =>
            {
                var texts = services.GetRequiredService<CadenceDb>().Messages.AsNoTracking();
                return (await texts.Where(t => t.ContactId != null).MaxAsync(t => t.Id), await texts.Where(t => t.ContactId != null && t.Direction == "inbound").MaxAsync(t => t.Id));
            });
        }
        var ct = TestContext.Current.CancellationToken;
        await using var provider = new ServiceCollection().AddLogging().AddCadenceCore(new ConfigurationBuilder().AddInMemoryCollection(database.Settings).Build()).BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CadenceDb>();
        var steps = db.Database.GetMigrations().ToList();
        // Back to the schema before the rows existed (its columns dropped), then up again: the upgrade fills them.
        await db.GetService<IMigrator>().MigrateAsync(steps[steps.IndexOf(steps.Single(s => s.EndsWith("_ConversationActivity", StringComparison.Ordinal))) - 1],
            cancellationToken: ct);
        // An older Cadence had rows only for conversations read or archived: none here.
        await db.Database.ExecuteSqlRawAsync("DELETE FROM \"ConversationStates\"", ct);
        await db.Database.MigrateAsync(ct);

        var stranger = Assert.Single(await db.ConversationStates.AsNoTracking().Where(s => s.ContactId == Guid.Empty).ToListAsync(ct));
        Assert.Equal((ConversationState.NoTeam, stranger.LastMessageId), (stranger.TeamId, stranger.LastInboundId));
        Assert.True(stranger.LastMessageId > received);
        var rows = await db.ConversationStates.AsNoTracking().Where(s => s.ContactId != Guid.Empty).ToListAsync(ct);
        var row = Assert.Single(rows);
        Assert.Equal((sent, received), (row.LastMessageId, row.LastInboundId));
        Assert.Equal("", row.MobileNumber);
    }
}
