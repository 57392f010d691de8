using System.Net;
using System.Net.Http.Json;
using Cadence.Data;
using Cadence.Tests.Contacts;
using Cadence.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Tests.Messages;

/// <summary>The daily cap holds when sends on one credential arrive side by side (issue #10.5).</summary>
public sealed class DailyCapRaceTests
{
    const int Cap = 5;

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task ConcurrentCreateAndSendsNeverPassTheDailyCap(Store store)
    {
        await using var app = await StartAsync(store);
        using var client = app.App.Http(await app.App.CreateCredentialAsync());
        var ct = TestContext.Current.CancellationToken;

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => client.PostAsync("/v2/messages/CreateAndSend",
            JsonContent.Create(new { departmentCode = "SS", uniqueCampusId = "P1", messageContent = $"Text {i}" }), ct)));

        Assert.Equal(Cap, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        var refused = answers.Where(a => a.StatusCode != HttpStatusCode.OK).ToList();
        Assert.Equal(8 - Cap, refused.Count);
        foreach (var answer in refused)
        {
            await ProblemAssert.IsProblemAsync(answer, HttpStatusCode.TooManyRequests, "daily_cap_reached");
            Assert.Equal(TimeSpan.FromHours(12), answer.Headers.RetryAfter?.Delta);
        }
        Assert.Equal(Cap, await app.StoredAsync());
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task ConcurrentBulkSendsNeverPassTheDailyCap(Store store)
    {
        await using var app = await StartAsync(store);
        using var client = app.App.Http(await app.App.CreateCredentialAsync());
        var ct = TestContext.Current.CancellationToken;
        var recipients = new[] { new { uniqueCampusId = "P1" }, new { uniqueCampusId = "P2" }, new { uniqueCampusId = "P3" } };

        // Three texts each: any two together pass the cap of five.
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => client.PostAsync("/v2/messages/bulk",
            JsonContent.Create(new { departmentCode = "SS", messageContent = $"Bulk {i}", recipients }), ct)));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.OK), a => Assert.Equal(HttpStatusCode.TooManyRequests, a.StatusCode));
        Assert.Equal(3, await app.StoredAsync());
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task ConcurrentRepeatsOfOneIdempotencyKeyTextOnce(Store store)
    {
        await using var app = await StartAsync(store);
        using var client = app.App.Http(await app.App.CreateCredentialAsync());
        var ct = TestContext.Current.CancellationToken;

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v2/messages/CreateAndSend")
            {
                Content = JsonContent.Create(new { departmentCode = "SS", uniqueCampusId = "P1", messageContent = "Once" }),
            };
            request.Headers.Add(Cadence.Messages.Idempotency.Header, "same-key");
            return client.SendAsync(request, ct);
        }));

        // A repeat that overlaps the first is a 409 ("try again"); one that follows it replays its answer.
        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        Assert.Equal(1, await app.StoredAsync());
    }

    sealed class CapApp(TestDatabase database, CadenceApp app) : IAsyncDisposable
    {
        public CadenceApp App => app;

        public Task<int> StoredAsync() => app.WithServicesAsync((services, _) =>
            services.GetRequiredService<CadenceDb>().Messages.CountAsync(m => m.Direction == "outbound"));

        public async ValueTask DisposeAsync()
        {
            await app.DisposeAsync();
            await database.DisposeAsync();
        }
    }

    static async Task<CapApp> StartAsync(Store store)
    {
        var database = await TestDatabase.CreateAsync(store);
        var app = await CadenceApp.StartAsync(database, new() { ["Cadence:DailyMessageCap"] = Cap.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        using var client = await app.TeamClientAsync();
        var import = await client.PostAsync("/v2/contacts/SS/import", JsonContent.Create(new
        {
            contacts = new[] { ContactsApp.Row("P1", mobile: "716-555-0101"), ContactsApp.Row("P2", mobile: "716-555-0102"), ContactsApp.Row("P3", mobile: "716-555-0103") },
        }), TestContext.Current.CancellationToken);
        import.EnsureSuccessStatusCode();
        return new CapApp(database, app);
    }
}
