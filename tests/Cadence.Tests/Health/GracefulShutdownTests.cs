using System.Data.Common;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Cadence.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Cadence.Tests.Health;

/// <summary>The real server stopped with SIGTERM: what was in flight finishes or leaves nothing, and it exits 0.</summary>
public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task SigtermMidSendRecordsEveryOutcomeAndTheRestGoOutOnceAfterARestart()
    {
        var ct = TestContext.Current.CancellationToken;
        const int students = 300;
        await using var twilio = await FakeTwilio.StartAsync(TimeSpan.FromMilliseconds(30));
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        var basic = await SetUpAsync(database);
        var numbers = Enumerable.Range(0, students).Select(i => $"{2002000000L + i * 7}").ToList();

        await using (var server = await ServerProcess.StartAsync(database, twilio.Arguments()))
        {
            using var client = Client(server, basic);
            var contacts = numbers.Select((n, i) => new { uniqueCampusId = $"P{i:D5}", firstName = "F", lastName = "L", mobileNumber = n });
            (await client.PostAsJsonAsync("/v2/contacts/SS/import", new { contacts }, ct)).EnsureSuccessStatusCode();
            (await client.PostAsJsonAsync("/v2/messages/bulk",
                new { departmentCode = "SS", messageContent = "Classes resume Monday.", recipients = contacts.Select(c => new { c.uniqueCampusId }) }, ct)).EnsureSuccessStatusCode();
            Assert.True(await Eventually.TrueAsync(() => Task.FromResult(twilio.Requests.Count >= 10), TimeSpan.FromSeconds(30)), "the send never started");

            Assert.Equal(0, await server.TerminateAsync(TimeSpan.FromSeconds(40)));
        }
        var handedOver = twilio.Requests.Count;
        Assert.True(handedOver < students, "the whole send finished before the signal");
        // A graceful stop leaves nothing "sending" and nothing "delivery state unknown": every text the carrier took is recorded.
        Assert.Equal(0, await CountAsync(database, "SELECT COUNT(*) FROM Messages WHERE Status IN ('sending', 'failed')"));
        Assert.Equal(handedOver, await CountAsync(database, "SELECT COUNT(*) FROM Messages WHERE Status = 'sent'"));

        await using (var server = await ServerProcess.StartAsync(database, twilio.Arguments()))
        {
            Assert.True(await Eventually.TrueAsync(async () => await CountAsync(database, "SELECT COUNT(*) FROM Messages WHERE Status = 'sent'") == students,
                TimeSpan.FromSeconds(60)));
            Assert.Equal(0, await server.TerminateAsync(TimeSpan.FromSeconds(40)));
        }
        var received = twilio.TextsPerNumber();
        Assert.All(numbers, n => Assert.Equal(1, received.GetValueOrDefault("+1" + n)));
        Assert.Equal(students, twilio.Requests.Count);
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task SigtermMidImportCommitsItWholeOrLeavesNothingAndExitsZero(Store store)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync(store);
        Assert.Equal(0, (await CliRunner.RunAsync(database, ["migrate"])).ExitCode);
        var basic = await SetUpAsync(database);
        var body = new StringBuilder("{\"contacts\": [");
        for (var i = 0; i < 50_000; i++)
        {
            body.Append(i == 0 ? "" : ",").Append($"{{\"uniqueCampusId\":\"P{i:D7}\",\"firstName\":\"F{i}\",\"lastName\":\"L{i}\",\"mobileNumber\":\"{2002000000L + i * 7}\"}}");
        }
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body.Append("]}").ToString()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        await using var server = await ServerProcess.StartAsync(database);
        using var client = Client(server, basic);
        var import = client.PostAsync("/v2/contacts/SS/import", content, ct);
        // The signal goes once the server has the request (ASP.NET Core's active-request gauge counts a POST), not
        // after a guessed delay.
        using (var metrics = new HttpClient { BaseAddress = server.Address })
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            var seen = false;
            while (!seen && !import.IsCompleted && DateTime.UtcNow < deadline)
            {
                seen = (await metrics.GetStringAsync("/metrics", ct)).Split('\n').Any(l => l.StartsWith("http_server_active_requests{", StringComparison.Ordinal)
                    && l.Contains("http_request_method=\"POST\"", StringComparison.Ordinal) && l.Split(' ')[1] != "0");
                await Task.Delay(seen ? 0 : 20, ct);
            }
            Assert.True(seen || import.IsCompleted, "the import's POST never showed on /metrics");
        }
        Assert.False(import.IsCompleted, "the import finished before the signal");
        var exit = server.TerminateAsync(TimeSpan.FromSeconds(40));

        HttpStatusCode? status = null;
        try
        {
            status = (await import).StatusCode;
        }
        catch (HttpRequestException)
        {
            // The connection failed: then nothing may be there.
        }
        Assert.Equal(0, await exit);
        var count = await CountAsync(database, "SELECT COUNT(*) FROM \"Contacts\"");
        Assert.True(status == HttpStatusCode.OK ? count == 50_000 : count == 0, $"answer {status?.ToString() ?? "none"}, {count} contacts");
        // What a graceful stop should do: let the import in flight finish.
        Assert.Equal(HttpStatusCode.OK, status);
    }

    static async Task<string> SetUpAsync(TestDatabase database)
    {
        Assert.Equal(0, (await CliRunner.RunAsync(database, ["teams", "add", "SS", "--name", "Student Success", "--time-zone", Zones.Daytime()])).ExitCode);
        return await CliRunner.BasicCredentialAsync(database, "stop");
    }

    static HttpClient Client(ServerProcess server, string basic)
    {
        var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", basic);
        return client;
    }

    static async Task<long> CountAsync(TestDatabase database, string sql)
    {
        await using DbConnection connection = database.ConnectionString is null
            ? new SqliteConnection($"Data Source={Path.Combine(database.DataDirectory, "cadence.db")};Pooling=false")
            : new Npgsql.NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
