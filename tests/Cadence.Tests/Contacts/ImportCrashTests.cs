using System.Data.Common;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Cadence.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Cadence.Tests.Contacts;

/// <summary>The real server process killed in the middle of a 100,000-row import: afterwards the batch is wholly there or wholly absent.</summary>
public sealed class ImportCrashTests
{
    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task KillingTheServerMidImportLeavesAllOrNothing(Store store)
    {
        await using var database = await TestDatabase.CreateAsync(store);
        Assert.Equal(0, (await CliRunner.RunAsync(database, ["migrate"])).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(database, ["teams", "add", "SS", "--name", "Student Success"])).ExitCode);
        var basic = await CliRunner.BasicCredentialAsync(database, "crash");
        var body = new StringBuilder("{\"contacts\": [");
        for (var i = 0; i < 100_000; i++)
        {
            body.Append(i == 0 ? "" : ",").Append($"{{\"uniqueCampusId\":\"P{i:D7}\",\"firstName\":\"F{i}\",\"lastName\":\"L{i}\",\"mobileNumber\":\"{2002000000L + i * 7}\"}}");
        }
        var payload = Encoding.UTF8.GetBytes(body.Append("]}").ToString());

        // Kill later and later, every quarter second, until the import beats the kill: some kills must then have
        // landed while its transaction was being written, whichever phase takes how long on this machine.
        var kills = 0;
        var completed = false;
        for (var delay = 250; delay <= 15_000 && !completed; delay += 250)
        {
            await using var server = await ServerProcess.StartAsync(database);
            using var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(2) };
            var content = new ByteArrayContent(payload);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            var request = new HttpRequestMessage(HttpMethod.Post, "/v2/contacts/SS/import") { Content = content };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
            var import = client.SendAsync(request, TestContext.Current.CancellationToken);
            await Task.WhenAny(import, Task.Delay(delay, TestContext.Current.CancellationToken));
            kills += import.IsCompleted ? 0 : 1;
            server.Kill();
            try
            {
                await import;
            }
            catch (HttpRequestException)
            {
            }
            var count = await CountAsync(database, "Contacts");
            var batches = await CountAsync(database, "ImportBatches");
            Assert.True(count is 0 or 100_000, $"after a kill at {delay} ms the team holds {count} contacts");
            Assert.Equal(count == 0 ? 0 : 1, batches);
            completed = count > 0;
        }
        Assert.True(completed, "the import never finished before a kill");
        Assert.True(kills >= 3, $"only {kills} kills landed during the import");

        // After the crash the server starts again and the same import goes through whole.
        await using (var server = await ServerProcess.StartAsync(database))
        {
            using var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(2) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", basic);
            var content = new ByteArrayContent(payload);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            var response = await client.PostAsync("/v2/contacts/SS/import", content, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal(100_000, await CountAsync(database, "Contacts"));
    }

    static async Task<long> CountAsync(TestDatabase database, string table)
    {
        await using DbConnection connection = database.ConnectionString is null
            ? new SqliteConnection($"Data Source={Path.Combine(database.DataDirectory, "cadence.db")};Pooling=false")
            : new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
