using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Cadence.Data;
using Cadence.Messages;
using Cadence.Tests.Contacts;
using Cadence.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Cadence.Tests.Health;

public sealed partial class DatabaseOutageTests
{
    const int Texts = 60;

    [Fact]
    public async Task WhilePostgresIsAwayEveryAnswerIsA503AndAfterItEveryTextGoesOutOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync(Store.Postgres);
        var direct = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var proxy = PausableProxy.Start(direct.Host!, direct.Port);
        await using var twilio = await FakeTwilio.StartAsync(TimeSpan.FromMilliseconds(20));
        var settings = twilio.Settings();
        settings["Cadence:Database"] = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 2 }.ConnectionString;
        await using var app = await CadenceApp.StartAsync(database, settings);
        using var cached = await app.TeamClientAsync();
        using var uncached = app.Http(await app.CreateCredentialAsync("Never used before the outage"));
        var numbers = Enumerable.Range(0, Texts).Select(i => $"+1716555{1000 + i}").ToList();
        var import = await cached.PostAsJsonAsync("/v2/contacts/SS/import",
            new { contacts = numbers.Select((n, i) => ContactsApp.Row("P" + i, mobile: n)).ToArray() }, ct);
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        var (console, csrf) = await LoginFormAsync(app);

        var bulk = await cached.PostAsJsonAsync("/v2/messages/bulk",
            new { departmentCode = "SS", messageContent = "Advising opens Monday", recipients = numbers.Select(n => new { mobileNumber = n }).ToArray() }, ct);
        Assert.Equal(HttpStatusCode.OK, bulk.StatusCode);
        // The outage comes mid-send: some texts are with the carrier, others still queued.
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(twilio.Requests.Count >= 5), TimeSpan.FromSeconds(10)));
        proxy.Pause();

        var answers = new List<HttpResponseMessage>();
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        for (var i = 0; i < 30 && DateTime.UtcNow < until; i++)
        {
            answers.Add(await ((i % 4) switch
            {
                0 => cached.PostAsJsonAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", messageContent = "during", mobileNumber = numbers[0] }, ct),
                1 => cached.GetAsync("/v2/messages?departmentCode=SS", ct),
                2 => uncached.GetAsync("/v2/ping", ct),
                // Not /v2/teams/SS: a team the node has found is answered from memory when the credential is too (Teams/KnownTeams).
                _ => cached.GetAsync("/v2/teams", ct),
            }));
        }
        Assert.Equal(HttpStatusCode.OK, (await app.Http().GetAsync("/healthz", ct)).StatusCode);
        await ProblemAssert.IsProblemAsync(await app.Http().GetAsync("/readyz", ct), HttpStatusCode.ServiceUnavailable);
        var page = await console.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__csrf"] = csrf, ["Email"] = "owner@college.edu", ["Password"] = "a long password",
        }), ct);
        proxy.Resume();

        Assert.True(answers.Count >= 8);
        foreach (var answer in answers)
        {
            await ProblemAssert.IsProblemAsync(answer, HttpStatusCode.ServiceUnavailable, "database_unavailable");
            Assert.Equal(TimeSpan.FromSeconds(5), answer.Headers.RetryAfter?.Delta);
        }
        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("temporarily unavailable", await page.Content.ReadAsStringAsync(ct));
        Assert.NotNull(page.Headers.RetryAfter);

        // Back by themselves: requests, then the worker, which finishes the backlog with every text sent once.
        Assert.True(await Eventually.TrueAsync(async () => (await cached.GetAsync("/v2/messages?departmentCode=SS", ct)).IsSuccessStatusCode, TimeSpan.FromSeconds(15)));
        // The worker's recording retries back off (up to seconds apart) through the outage: on a loaded machine 30 s was too little.
        Assert.True(await Eventually.TrueAsync(async () => (await StatusesAsync(app)).All(s => s is MessageStatus.Sent), TimeSpan.FromSeconds(90)),
            string.Join(", ", await StatusesAsync(app)));
        Assert.Equal(Texts, (await StatusesAsync(app)).Count);
        var received = twilio.TextsPerNumber();
        Assert.All(numbers, n => Assert.Equal(1, received.GetValueOrDefault(n)));
        Assert.Equal(Texts, twilio.Requests.Count);
        // Logged once when the outage began, not on every try.
        Assert.True(app.Logs.Lines.Count(l => l.Contains("The outbox worker: the database cannot be reached")) <= 1, app.Logs.All);
        // At most once: under load the watcher may not have polled during the short outage at all.
        Assert.True(app.Logs.Lines.Count(l => l.Contains("Re-checking changed credentials: the database cannot be reached")) <= 1, app.Logs.All);
        Assert.Contains(app.Logs.Lines, l => l.Contains("the database is back"));
    }

    [Fact]
    public async Task ASqliteLockHeldPastTheBusyTimeoutIsA503AndReadsGoOn()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        await using var app = await CadenceApp.StartAsync(database, new() { ["Cadence:SqliteBusyTimeout"] = "00:00:00.300" });
        using var client = await app.TeamClientAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/v2/contacts/SS/import", new { contacts = new[] { ContactsApp.Row("P1") } }, ct)).StatusCode);
        var send = new { departmentCode = "SS", messageContent = "hello", mobileNumber = "716-555-0101" };

        await using (var holder = new SqliteConnection($"Data Source={Path.Combine(database.DataDirectory, "cadence.db")};Pooling=false"))
        {
            await holder.OpenAsync(ct);
            await using (var begin = new SqliteCommand("BEGIN IMMEDIATE;", holder))
            {
                await begin.ExecuteNonQueryAsync(ct);
            }
            var refused = await client.PostAsJsonAsync("/v2/messages/CreateAndSend", send, ct);
            await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.ServiceUnavailable, "database_unavailable");
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2/messages?departmentCode=SS", ct)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/v2/messages/CreateAndSend", send, ct)).StatusCode);
    }

    [Fact]
    public void OutagesAreToldFromOtherFailuresThroughEfsWrapping()
    {
        var refused = new NpgsqlException("Failed to connect", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused));
        Assert.True(DatabaseOutage.Is(refused));
        Assert.True(DatabaseOutage.Is(new DbUpdateException("save", refused)));
        Assert.True(DatabaseOutage.Is(new InvalidOperationException("strategy", new DbUpdateException("save", refused))));
        Assert.True(DatabaseOutage.Is(new Microsoft.EntityFrameworkCore.Storage.RetryLimitExceededException("retried", refused)));
        Assert.True(DatabaseOutage.Is(new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01")));
        Assert.True(DatabaseOutage.Is(new PostgresException("connection failure", "FATAL", "FATAL", "08006")));
        Assert.True(DatabaseOutage.Is(new SqliteException("database is locked", 5)));
        Assert.True(DatabaseOutage.Is(new SqliteException("database table is locked", 6)));

        Assert.False(DatabaseOutage.Is(new PostgresException("duplicate key", "ERROR", "ERROR", "23505")));
        Assert.False(DatabaseOutage.Is(new PostgresException("could not serialize", "ERROR", "ERROR", "40001")));
        Assert.False(DatabaseOutage.Is(new SqliteException("constraint failed", 19)));
        Assert.False(DatabaseOutage.Is(new InvalidOperationException("a bug")));
    }

    static async Task<List<string>> StatusesAsync(CadenceApp app) => await app.WithServicesAsync(async (services, _) =>
        await services.GetRequiredService<CadenceDb>().Messages.AsNoTracking().Where(m => m.Direction == "outbound").Select(m => m.Status).ToListAsync());

    /// <summary>A browser's cookies and the sign-in form's token, fetched while the database is there.</summary>
    static async Task<(HttpClient Client, string Csrf)> LoginFormAsync(CadenceApp app)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = app.Address };
        var html = await client.GetStringAsync("/login", TestContext.Current.CancellationToken);
        return (client, CsrfField().Match(html).Groups[1].Value);
    }

    [GeneratedRegex("name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"|name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
