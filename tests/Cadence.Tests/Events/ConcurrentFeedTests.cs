using System.Collections.Concurrent;
using Cadence.Data;
using Cadence.Events;
using Cadence.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Tests.Events;

/// <summary>The feed read while others write: no event skipped, none twice.</summary>
public sealed class ConcurrentFeedTests
{
    [Fact]
    public async Task OnPostgresALaterIdCommittedFirstWaitsForTheEarlierOne()
    {
        await using var app = await CadenceApp.StartAsync(Store.Postgres);
        var organization = await app.WithServicesAsync((_, o) => Task.FromResult(o.Id));
        var at = app.Time.GetUtcNow().UtcDateTime;
        await using var slowScope = app.Services.CreateAsyncScope();
        await using var fastScope = app.Services.CreateAsyncScope();
        await using var readScope = app.Services.CreateAsyncScope();
        var slow = slowScope.ServiceProvider.GetRequiredService<CadenceDb>();
        var fast = fastScope.ServiceProvider.GetRequiredService<CadenceDb>();
        var reader = readScope.ServiceProvider.GetRequiredService<CadenceDb>();
        var ct = TestContext.Current.CancellationToken;

        await using var transaction = await slow.Database.BeginTransactionAsync(ct);
        var first = slow.Append(organization, null, null, EventTypes.ContactOptedOut, at, null, new OptOutData("test"));
        await slow.SaveChangesAsync(ct); // the earlier id, not committed yet
        var second = fast.Append(organization, null, null, EventTypes.ContactOptedIn, at, null, new OptOutData("test"));
        await fast.SaveChangesAsync(ct); // the later id, committed first
        Assert.True(second.Id > first.Id);

        var during = await EventFeed.ReadAfterAsync(reader, organization, EventCursor.Start, null, null, 100, ct);
        Assert.Empty(during.Events); // a reader paging by id alone would take the second and never see the first
        Assert.Equal(EventCursor.Start, during.Next);

        await transaction.CommitAsync(ct);
        // Soon both, the earlier first (another test's transaction on the server can hold the horizon back a moment).
        EventPage after = during;
        Assert.True(await Eventually.TrueAsync(async () =>
            (after = await EventFeed.ReadAfterAsync(reader, organization, during.Next, null, null, 100, ct)).Events.Count >= 2, TimeSpan.FromSeconds(20)));
        Assert.Equal([first.PublicId, second.PublicId], after.Events.Select(e => e.PublicId));
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task AReaderPagingWhileWritersCommitOutOfOrderSeesEveryEventOnce(Store store)
    {
        await using var app = await CadenceApp.StartAsync(store);
        var organization = await app.WithServicesAsync((_, o) => Task.FromResult(o.Id));
        var at = app.Time.GetUtcNow().UtcDateTime;
        var ct = TestContext.Current.CancellationToken;
        var written = new ConcurrentBag<string>();
        const int Writers = 4, Transactions = 25;

        // Each writer inserts one to three events in a transaction and holds it open a little before committing, so
        // on PostgreSQL transactions that took their ids earlier often commit later.
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            for (var t = 0; t < Transactions; t++)
            {
                await using var scope = app.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<CadenceDb>();
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var batch = Enumerable.Range(0, random.Next(1, 4))
                    .Select(i => db.Append(organization, null, null, EventTypes.ContactOptedOut, at, null, new OptOutData($"w{w}t{t}e{i}"))).ToList();
                await db.SaveChangesAsync(ct);
                await Task.Delay(random.Next(0, 12), ct);
                await transaction.CommitAsync(ct);
                foreach (var e in batch)
                {
                    written.Add(e.PublicId);
                }
            }
        }, ct)).ToList();

        var seen = new List<string>();
        var cursor = EventCursor.Start;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var reader = scope.ServiceProvider.GetRequiredService<CadenceDb>();
            for (var reads = 0; reads < 100_000 && DateTime.UtcNow < deadline; reads++)
            {
                var done = writers.All(w => w.IsCompleted);
                var page = await EventFeed.ReadAfterAsync(reader, organization, cursor, null, null, 5, ct);
                seen.AddRange(page.Events.Select(e => e.PublicId));
                cursor = page.Next;
                if (page.Events.Count == 0)
                {
                    if (done && seen.Count >= written.Count)
                    {
                        // Every writer had finished before this read. (On PostgreSQL the last commits can stay below the
                        // horizon for a while: another transaction on the server, another test's, holds it back.) An
                        // event the cursor stepped over would never come, and the deadline would end the loop short.
                        break;
                    }
                    await Task.Delay(2, ct);
                }
            }
        }
        await Task.WhenAll(writers);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(written.Order(), seen.Order());
        Assert.True(seen.Count >= Writers * Transactions);
        var stored = await app.WithServicesAsync((services, _) => services.GetRequiredService<CadenceDb>().Events.CountAsync(ct));
        Assert.Equal(stored, seen.Count);
    }
}
