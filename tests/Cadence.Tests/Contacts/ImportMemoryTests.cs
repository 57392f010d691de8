using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Contacts;

/// <summary>
/// The real server under a 256 MiB heap limit: the bodies that once filled its memory are answered 2xx or 4xx
/// with a bounded body, and it keeps serving afterwards.
/// </summary>
public sealed class ImportMemoryTests
{
    static readonly Dictionary<string, string> HeapLimit = new() { ["DOTNET_GCHeapHardLimit"] = "0x10000000" };

    [Fact]
    public async Task TenThousandRowsOf121UnknownColumnsGetASmallReportStoredSmall()
    {
        await using var s = await LimitedServer.StartAsync();

        var response = await s.PostAsync("text/csv", async stream => await WriteUnknownColumnsCsvAsync(stream, 10_000));

        var report = await s.ExpectAsync(response, HttpStatusCode.OK, maxLength: 64 * 1024);
        Assert.Equal((10_000, 10_000), (report.Int("total"), report.Int("failed")));
        var again = await s.Client.GetAsync($"/v2/contacts/SS/import/{report.Str("batchIdentifier")}", TestContext.Current.CancellationToken);
        await s.ExpectAsync(again, HttpStatusCode.OK, maxLength: 64 * 1024);
        await s.AssertStillServingAsync();
    }

    [Fact]
    public async Task AHundredThousandRowsOf121UnknownColumnsGetASmallReport()
    {
        await using var s = await LimitedServer.StartAsync();

        var response = await s.PostAsync("text/csv", async stream => await WriteUnknownColumnsCsvAsync(stream, 100_000));

        var report = await s.ExpectAsync(response, HttpStatusCode.OK, maxLength: 64 * 1024);
        Assert.Equal(100_000, report.Int("failed"));
        await s.AssertStillServingAsync();
    }

    [Fact]
    public async Task AHeaderOfMillionsOfCommasIsA400()
    {
        await using var s = await LimitedServer.StartAsync();

        var response = await s.PostAsync("text/csv", async stream =>
        {
            await stream.WriteAsync("ContactId,FirstName,LastName,MobileNumber"u8.ToArray());
            var commas = Enumerable.Repeat((byte)',', 1024 * 1024).ToArray();
            for (var i = 0; i < 64; i++)
            {
                await stream.WriteAsync(commas);
            }
            await stream.WriteAsync("\nP1,Ada,L,7165550101\n"u8.ToArray());
        });

        var problem = await s.ExpectAsync(response, HttpStatusCode.BadRequest, maxLength: 4096);
        Assert.Contains("columns", problem.Str("detail"));
        await s.AssertStillServingAsync();
    }

    [Fact]
    public async Task AHundredMegabyteCellIsA400()
    {
        await using var s = await LimitedServer.StartAsync();

        var response = await s.PostAsync("text/csv", async stream =>
        {
            await stream.WriteAsync("ContactId,FirstName,LastName,MobileNumber\nP1,"u8.ToArray());
            var cell = Enumerable.Repeat((byte)'a', 1024 * 1024).ToArray();
            for (var i = 0; i < 100; i++)
            {
                await stream.WriteAsync(cell);
            }
            await stream.WriteAsync(",L,7165550101\n"u8.ToArray());
        });

        await s.ExpectAsync(response, HttpStatusCode.BadRequest, maxLength: 4096);
        await s.AssertStillServingAsync();
    }

    [Fact]
    public async Task AHundredMegabyteJsonStringIsA400()
    {
        await using var s = await LimitedServer.StartAsync();

        var response = await s.PostAsync("application/json", async stream =>
        {
            await stream.WriteAsync("{\"contacts\":[{\"uniqueCampusId\":\"P1\",\"firstName\":\""u8.ToArray());
            var text = Enumerable.Repeat((byte)'a', 1024 * 1024).ToArray();
            for (var i = 0; i < 100; i++)
            {
                await stream.WriteAsync(text);
            }
            await stream.WriteAsync("\",\"lastName\":\"L\",\"mobileNumber\":\"7165550101\"}]}"u8.ToArray());
        });

        await s.ExpectAsync(response, HttpStatusCode.BadRequest, maxLength: 4096);
        await s.AssertStillServingAsync();
    }

    [Fact]
    public async Task AJsonImportNearTheSizeLimitIsImportedWhole()
    {
        await using var s = await LimitedServer.StartAsync();
        const int rows = 60_000;
        var major = new string('m', 1000);
        var advisor = new string('a', 1000);

        // About 125 MB: every contact carries two custom fields of the largest legal length.
        var response = await s.PostAsync("application/json", async stream =>
        {
            await stream.WriteAsync("{\"contacts\":["u8.ToArray());
            var row = new StringBuilder();
            for (var i = 0; i < rows; i++)
            {
                row.Clear().Append(i == 0 ? "" : ",").Append($"{{\"uniqueCampusId\":\"P{i:D6}\",\"firstName\":\"Ada\",\"lastName\":\"L\",\"mobileNumber\":\"{2002000000L + i}\",")
                    .Append($"\"customFields\":{{\"Major\":\"{major}\",\"Advisor\":\"{advisor}\"}}}}");
                await stream.WriteAsync(Encoding.UTF8.GetBytes(row.ToString()));
            }
            await stream.WriteAsync("]}"u8.ToArray());
        });

        var report = await s.ExpectAsync(response, HttpStatusCode.OK, maxLength: 4096);
        Assert.Equal((rows, 0), (report.Int("created"), report.Int("failed")));
        await s.AssertStillServingAsync();
    }

    [Fact]
    public async Task ASmallImportIntoATeamLargerThanTheHeapHoldsOnlyWhatItsRowsName()
    {
        // 150,000 contacts of two 1,000-character fields: about 300 MB on file, more than the server's 256 MiB heap,
        // so an import that read its whole team first runs out of memory.
        await using var s = await LimitedServer.StartAsync(seed: 150_000);

        var response = await s.PostAsync("application/json", stream => stream.WriteAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            contacts = new[] { ContactsApp.Row("P000007", last: "Byron", mobile: "2002000007"), ContactsApp.Row("NEW", mobile: "2002000008"), ContactsApp.Row("NEW2", mobile: "716-555-0150") },
        }))).AsTask());

        var report = await s.ExpectAsync(response, HttpStatusCode.OK, maxLength: 4096);
        Assert.Equal((1, 1, 1), (report.Int("updated"), report.Int("created"), report.Int("failed")));
        Assert.Contains("P000008", report.GetProperty("errors")[0].Str("reason"));
        await s.AssertStillServingAsync();
    }

    [Fact]
    public async Task ABodyPastTheSizeLimitIsA413()
    {
        await using var s = await LimitedServer.StartAsync();

        var response = await s.PostAsync("application/json", async stream =>
        {
            await stream.WriteAsync("{\"contacts\":[\""u8.ToArray());
            var text = Enumerable.Repeat((byte)'a', 1024 * 1024).ToArray();
            for (var i = 0; i < 130; i++)
            {
                await stream.WriteAsync(text);
            }
            await stream.WriteAsync("\"]}"u8.ToArray());
        }, allowReset: true);

        if (response is not null)
        {
            await s.ExpectAsync(response, HttpStatusCode.RequestEntityTooLarge, maxLength: 4096);
        }
        await s.AssertStillServingAsync();
    }

    /// <summary>The audit's file: 121 columns the team never defined, one value each.</summary>
    static async Task WriteUnknownColumnsCsvAsync(Stream stream, int rows)
    {
        var header = "ContactId,FirstName,LastName,MobileNumber," + string.Join(",", Enumerable.Range(0, 121).Select(i => "X" + i)) + "\n";
        await stream.WriteAsync(Encoding.UTF8.GetBytes(header));
        var tail = string.Concat(Enumerable.Repeat(",1", 121)) + "\n";
        var line = new StringBuilder();
        for (var i = 0; i < rows; i++)
        {
            line.Clear().Append('P').Append(i).Append(",Ada,L,").Append(2002000000L + i).Append(tail);
            await stream.WriteAsync(Encoding.UTF8.GetBytes(line.ToString()));
        }
    }

    sealed class LimitedServer : IAsyncDisposable
    {
        public required TestDatabase Database { get; init; }
        public required ServerProcess Server { get; init; }
        public required HttpClient Client { get; init; }

        /// <summary>The server, its team SS with fields Major and Advisor, and <paramref name="seed"/> contacts on file (P000000, …).</summary>
        public static async Task<LimitedServer> StartAsync(int seed = 0)
        {
            var database = await TestDatabase.CreateAsync(Store.Sqlite);
            Assert.Equal(0, (await CliRunner.RunAsync(database, ["migrate"])).ExitCode);
            Assert.Equal(0, (await CliRunner.RunAsync(database, ["teams", "add", "SS", "--name", "Student Success"])).ExitCode);
            if (seed > 0)
            {
                await SeedAsync(database, seed);
            }
            var created = await CliRunner.CreateCredentialAsync(database, "memory");
            var server = await ServerProcess.StartAsync(database, HeapLimit);
            var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(3) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", created.Basic);
            foreach (var field in new[] { "Major", "Advisor" })
            {
                var added = await client.PostAsJsonAsync("/v2/teams/SS/fields", new { name = field }, TestContext.Current.CancellationToken);
                Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            }
            return new LimitedServer { Database = database, Server = server, Client = client };
        }

        /// <summary>
        /// Writes contacts straight into the database file before the server starts, in the form the server stores them
        /// (upper-case Guid text, ISO times), each with two custom fields of the largest legal length: P000000 has
        /// 1-200-200-0000, P000001 1-200-200-0001, and so on.
        /// </summary>
        static async Task SeedAsync(TestDatabase database, int count)
        {
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(database.DataDirectory, "cadence.db")};Pooling=false");
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $count - 1),
                g(i, h, d) AS (SELECT i, upper(hex(randomblob(16))), CAST(2002000000 + i AS TEXT) FROM n)
                INSERT INTO "Contacts" ("Id", "OrganizationId", "TeamId", "UniqueCampusId", "FirstName", "LastName", "MobileNumber", "OptedOut",
                    "StaffId", "CustomFields", "CreatedAt", "UpdatedAt")
                SELECT substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-' || substr(h, 13, 4) || '-' || substr(h, 17, 4) || '-' || substr(h, 21, 12),
                    t."OrganizationId", t."Id", printf('P%06d', i), 'Ada', 'Lovelace',
                    '1-' || substr(d, 1, 3) || '-' || substr(d, 4, 3) || '-' || substr(d, 7, 4), 0, NULL,
                    '{"Major":"' || printf('%.1000c', 'm') || '","Advisor":"' || printf('%.1000c', 'a') || '"}',
                    '2026-01-01 00:00:00', '2026-01-01 00:00:00'
                FROM g, "Teams" t WHERE t."DepartmentCode" = 'SS'
                """;
            command.Parameters.AddWithValue("$count", count);
            Assert.Equal(count, await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
        }

        /// <summary>Posts a body written as it is sent, so that the test never holds it whole.</summary>
        public async Task<HttpResponseMessage?> PostAsync(string mediaType, Func<Stream, Task> write, bool allowReset = false)
        {
            var content = new GeneratedContent(write);
            content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            try
            {
                return await Client.PostAsync("/v2/contacts/SS/import", content, TestContext.Current.CancellationToken);
            }
            catch (HttpRequestException) when (allowReset)
            {
                return null; // the server answered and closed the connection before the body was sent
            }
        }

        public async Task<JsonElement> ExpectAsync(HttpResponseMessage? response, HttpStatusCode expected, int maxLength)
        {
            Assert.NotNull(response);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == expected, $"Expected {expected}, got {(int)response.StatusCode}: {ImportErrorsCut(text)}\n{Server.Output}");
            Assert.True(text.Length <= maxLength, $"the answer has {text.Length:N0} characters");
            return JsonDocument.Parse(text).RootElement.Clone();
        }

        public async Task AssertStillServingAsync()
        {
            Assert.False(Server.Process.HasExited, Server.Output);
            var ready = await Client.GetAsync("/readyz", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            var import = await Client.PostAsJsonAsync("/v2/contacts/SS/import", new { contacts = new[] { ContactsApp.Row("AFTER", mobile: "716-555-0199") } },
                TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        }

        static string ImportErrorsCut(string text) => text.Length > 2000 ? text[..2000] + "…" : text;

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Server.DisposeAsync();
            await Database.DisposeAsync();
        }
    }

    sealed class GeneratedContent(Func<Stream, Task> write) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => write(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
