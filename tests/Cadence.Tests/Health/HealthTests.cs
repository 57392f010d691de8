using System.Net;
using Cadence.Tests.Infrastructure;
using Npgsql;

namespace Cadence.Tests.Health;

public sealed class HealthTests
{
    [Fact]
    public async Task LivenessAnswersWithoutTheDatabaseAndReadinessReportsItGone()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Postgres);
        await using var app = await CadenceApp.StartAsync(database);
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(HttpStatusCode.OK, (await app.Http().GetAsync("/readyz", ct)).StatusCode);

        var name = new NpgsqlConnectionStringBuilder(database.ConnectionString).Database;
        await using (var admin = new NpgsqlConnection(await PostgresServer.RequireAsync()))
        {
            await admin.OpenAsync(ct);
            await using var rename = new NpgsqlCommand($"ALTER DATABASE {name} RENAME TO {name}_away", admin);
            NpgsqlConnection.ClearAllPools();
            await using var terminate = new NpgsqlCommand($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'", admin);
            await terminate.ExecuteNonQueryAsync(ct);
            await rename.ExecuteNonQueryAsync(ct);
        }
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await app.Http().GetAsync("/healthz", ct)).StatusCode);
            await ProblemAssert.IsProblemAsync(await app.Http().GetAsync("/readyz", ct), HttpStatusCode.ServiceUnavailable, "database_unreachable");
        }
        finally
        {
            await using var admin = new NpgsqlConnection(await PostgresServer.RequireAsync());
            await admin.OpenAsync(ct);
            await using var back = new NpgsqlCommand($"ALTER DATABASE {name}_away RENAME TO {name}", admin);
            await back.ExecuteNonQueryAsync(ct);
        }
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesEveryCall()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);

        var document = await app.Http().GetStringAsync("/openapi/v2.json", TestContext.Current.CancellationToken);

        foreach (var path in new[]
        {
            "/healthz", "/readyz", "/v2/ping", "/v2/teams", "/v2/teams/{departmentCode}", "/v2/credentials/self",
            "/v2/contacts/{departmentCode}/import", "/v2/contacts/{departmentCode}/{mobileNumber}", "/v2/contacts/{departmentCode}",
            "/v2/teams/{departmentCode}/fields", "/v2/messages/CreateAndSend", "/v2/messages/bulk", "/v2/messages/{id}", "/v2/messages",
            "/v2/credentials/revoke",
        })
        {
            Assert.Contains($"\"{path}\"", document);
        }
        Assert.Contains("\"securitySchemes\"", document);
        Assert.Contains("\"scheme\": \"basic\"", document);
    }

    [Fact]
    public async Task TheOpenApiDocumentGivesBodiesCredentialsAndScopes()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);

        var paths = System.Text.Json.JsonDocument.Parse(await app.Http().GetStringAsync("/openapi/v2.json", TestContext.Current.CancellationToken))
            .RootElement.GetProperty("paths");
        var send = paths.GetProperty("/v2/messages/CreateAndSend").GetProperty("post");
        var import = paths.GetProperty("/v2/contacts/{departmentCode}/import").GetProperty("post");

        // Bodies read by hand still have their shapes in the document.
        Assert.True(send.GetProperty("responses").GetProperty("200").TryGetProperty("content", out _));
        var importSchema = import.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Equal(["contacts"], importSchema.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        var sendSchema = send.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Equal(["departmentCode", "messageContent"], sendSchema.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("string", import.GetProperty("requestBody").GetProperty("content").GetProperty("text/csv").GetProperty("schema").GetProperty("type").GetString());
        // Either credential form, and the scope, on every client API call; none on the anonymous ones.
        var security = send.GetProperty("security").EnumerateArray().Select(r => string.Join("+", r.EnumerateObject().Select(p => p.Name))).ToList();
        Assert.Equal(["basic", "apiKey+apiSecret"], security);
        Assert.Contains("messages:send", send.GetProperty("description").GetString());
        Assert.True(paths.GetProperty("/v2/teams").GetProperty("get").TryGetProperty("security", out _));
        Assert.False(paths.GetProperty("/healthz").GetProperty("get").TryGetProperty("security", out _));
        Assert.False(paths.GetProperty("/v2/credentials/revoke").GetProperty("post").TryGetProperty("security", out _));
    }
}
