using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Cadence.Console;
using Cadence.Metrics;
using Cadence.Tests.Infrastructure;
using Cadence.Tests.Messages;

namespace Cadence.Tests.Metrics;

public sealed class MetricsTests
{
    // The outbox gauges are tested in a process of their own (below): here other tests' hosts publish gauges of the same name.
    static readonly string[] CadenceSeries =
    [
        "cadence_texts_total{", "cadence_import_rows_total{",
        "cadence_auth_failures_total{", "cadence_login_throttled_total", "cadence_webhook_deliveries_total{",
    ];

    [Fact]
    public async Task LoopbackScrapesPrometheusTextWithTheRequestDurationsAndEveryCadenceMetric()
    {
        await using var m = await MessagesApp.StartAsync(Store.Sqlite); // imports three contacts
        var ct = TestContext.Current.CancellationToken;
        var (sent, _) = await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", mobileNumber = "7165550101", messageContent = "Hello" });
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        await m.PhoneAsync("7165550101");
        using (var wrong = m.App.Http("cdk_nosuchkey", "nosuchsecret"))
        {
            await wrong.GetAsync("/v2/ping", ct);
        }
        var throttle = m.App.Services.GetRequiredService<LoginThrottle>();
        for (var i = 0; i <= LoginThrottle.FreeFailuresPerEmail; i++)
        {
            await throttle.GuardAsync<object>("nobody@college.edu", IPAddress.Loopback, () => Task.FromResult<object?>(null));
        }
        CadenceMetrics.WebhookDelivery("delivered");

        using var client = m.App.Http();
        string text = "";
        HttpResponseMessage? response = null;
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            response = await client.GetAsync("/metrics", ct);
            text = await response.Content.ReadAsStringAsync(ct);
            return CadenceSeries.All(text.Contains) && text.Contains("http_server_request_duration_seconds_bucket");
        }, TimeSpan.FromSeconds(10)), "Missing from the scrape: " + string.Join(", ", CadenceSeries.Where(s => !text.Contains(s))));

        Assert.Equal(HttpStatusCode.OK, response!.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("cadence_texts_total{otel_scope_name=\"Cadence\",status=\"queued\"}", text);
        Assert.Contains("status=\"delivered\"", text);
        Assert.Contains("result=\"created\"", text);
        Assert.Contains("reason=\"credentials_invalid\"", text);
        Assert.Contains("reason=\"console_password\"", text);
    }

    [Fact]
    public async Task TheOutboxGaugesCountDueQueuedTextsAndReadTheDatabaseAtMostEveryFiveSeconds()
    {
        // Its own process: in this one, other tests' hosts publish gauges of the same name.
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        Assert.Equal(0, (await CliRunner.RunAsync(database, ["teams", "add", "SS", "--name", "Student Success"])).ExitCode);
        var created = await CliRunner.CreateCredentialAsync(database, "gauges");
        // The worker looks at the queue once at start, then not for an hour: what is sent stays queued.
        await using var server = await ServerProcess.StartAsync(database, "--Cadence:OutboxPollInterval=01:00:00");
        var ct = TestContext.Current.CancellationToken;
        using var client = new HttpClient { BaseAddress = server.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", created.Basic);
        var contacts = new
        {
            contacts = new[] { new { uniqueCampusId = "P1", firstName = "Ada", lastName = "L", mobileNumber = "7165550101" },
            new { uniqueCampusId = "P2", firstName = "Bob", lastName = "B", mobileNumber = "7165550102" } }
        };
        (await client.PostAsJsonAsync("/v2/contacts/SS/import", contacts, ct)).EnsureSuccessStatusCode();
        async Task Send(string number) =>
            (await client.PostAsJsonAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", mobileNumber = number, messageContent = "Hi" }, ct)).EnsureSuccessStatusCode();
        // Scheduled for tomorrow: not due, not counted.
        (await client.PostAsJsonAsync("/v2/messages/bulk", new
        {
            departmentCode = "SS", messageContent = "Later", scheduledFor = DateTime.UtcNow.AddDays(1),
            recipients = new[] { new { mobileNumber = "7165550102" } }
        }, ct)).EnsureSuccessStatusCode();
        await Send("7165550101");

        // Started before the first reading, so it never under-counts the time since that reading.
        var read = Stopwatch.StartNew();
        var first = await ScrapeAsync(client);
        Assert.Equal("1", Value(first, "cadence_outbox_depth"));
        Assert.InRange(double.Parse(Value(first, "cadence_outbox_oldest_age_seconds")!, CultureInfo.InvariantCulture), 0, 60);

        await Send("7165550102");
        var cached = await ScrapeAsync(client);
        if (read.Elapsed < TimeSpan.FromSeconds(4))
        {
            Assert.Equal("1", Value(cached, "cadence_outbox_depth")); // still the reading of a moment ago
        }
        string? depth = null;
        Assert.True(await Eventually.TrueAsync(async () => (depth = Value(await ScrapeAsync(client), "cadence_outbox_depth")) == "2", TimeSpan.FromSeconds(20)),
            $"the depth stayed {depth}");
        Assert.True(read.Elapsed >= TimeSpan.FromSeconds(5), $"read again after {read.Elapsed}");
    }

    [Fact]
    public async Task TextsTheOutboxFailsBeforeTheProviderAreCountedAsFailed()
    {
        // Its own process, so that only this test's texts are counted.
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        Assert.Equal(0, (await CliRunner.RunAsync(database, ["teams", "add", "SS", "--name", "Student Success", "--time-zone", Zones.Daytime()])).ExitCode);
        var created = await CliRunner.CreateCredentialAsync(database, "guards");
        await using var server = await ServerProcess.StartAsync(database);
        var ct = TestContext.Current.CancellationToken;
        using var client = new HttpClient { BaseAddress = server.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", created.Basic);
        (await client.PostAsJsonAsync("/v2/contacts/SS/import", new { contacts = new[] { new { uniqueCampusId = "P1", firstName = "Ada", lastName = "L", mobileNumber = "7165550101" } } }, ct))
            .EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("/v2/messages/bulk", new
        {
            departmentCode = "SS", messageContent = "Later", scheduledFor = DateTime.UtcNow.AddSeconds(3),
            recipients = new[] { new { uniqueCampusId = "P1" } }
        }, ct)).EnsureSuccessStatusCode();

        // The student texts STOP while the text waits: at its time the outbox's guard fails it, and no provider sees it.
        (await client.PostAsJsonAsync("/simulator/api/reply", new { mobileNumber = "7165550101", body = "STOP" }, ct)).EnsureSuccessStatusCode();

        string? failed = null;
        Assert.True(await Eventually.TrueAsync(async () => (failed = Value(await ScrapeAsync(client), "cadence_texts_total{otel_scope_name=\"Cadence\",status=\"failed\"}")) == "1",
            TimeSpan.FromSeconds(20)), $"failed texts counted: {failed ?? "none"}");
    }

    static async Task<string> ScrapeAsync(HttpClient client)
    {
        // The exporter keeps a scrape's answer for 300 ms; wait that out so each scrape reads the gauges again.
        await Task.Delay(350, TestContext.Current.CancellationToken);
        return await client.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
    }

    static string? Value(string scrape, string name) => scrape.Split('\n')
        .Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
        .Select(l => l.Split(' ')[1]).FirstOrDefault();

    [Fact]
    public async Task AnAddressOutsideAllowFromGetsA404()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite, new() { ["Cadence:Metrics:AllowFrom:0"] = "10.9.0.0/16" });
        using var client = app.Http();

        var response = await client.GetAsync("/metrics", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("cadence_", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AForwardedAddressDoesNotOpenMetrics()
    {
        // Loopback is a trusted proxy here, and the forwarded address is allowed: the connection's own address decides.
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        await using var app = await CadenceApp.StartAsync(database, new()
        {
            ["Cadence:TrustedProxies:0"] = "127.0.0.1",
            ["Cadence:Metrics:AllowFrom:0"] = "203.0.113.0/24",
        });
        using var client = app.Http();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");

        var response = await client.GetAsync("/metrics", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("X-Forwarded-For", "203.0.113.9")]
    [InlineData("Forwarded", "for=203.0.113.9")]
    public async Task ARequestAProxyForwardedFromLoopbackDoesNotOpenMetrics(string header, string value)
    {
        // nginx on the same host connects from loopback for every outside client: a forwarded request is never local.
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        using var client = app.Http();
        client.DefaultRequestHeaders.Add(header, value);

        var forwarded = await client.GetAsync("/metrics", TestContext.Current.CancellationToken);
        var upperCase = await app.Http().GetAsync("/METRICS", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, forwarded.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, upperCase.StatusCode);
    }

    [Fact]
    public async Task MetricsUrlsServesMetricsOnItsOwnPortAndTheMainPortHasNone()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        var metricsAddress = new Uri($"http://127.0.0.1:{FreePort()}");
        await using var server = await ServerProcess.StartAsync(database, "--metrics-urls", metricsAddress.ToString());
        var ct = TestContext.Current.CancellationToken;
        using var main = new HttpClient { BaseAddress = server.Address };
        using var metrics = new HttpClient { BaseAddress = metricsAddress };
        await main.GetAsync("/healthz", ct);

        var scraped = await metrics.GetAsync("/metrics", ct);
        var onMain = await main.GetAsync("/metrics", ct);
        var otherOnMetrics = await metrics.GetAsync("/healthz", ct);

        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.Contains("http_server_request_duration_seconds", await scraped.Content.ReadAsStringAsync(ct));
        Assert.Equal(HttpStatusCode.NotFound, onMain.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherOnMetrics.StatusCode);
    }

    [Fact]
    public async Task AMetricsUrlWithoutItsOwnPortIsRefusedAtStart()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        var port = FreePort();
        await StartRefusal.AssertAsync(database, ["--urls", $"http://127.0.0.1:{port}", "--metrics-urls", $"http://127.0.0.1:{port}"], "--metrics-urls");
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
