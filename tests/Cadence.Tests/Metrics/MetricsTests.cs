using System.Net;
using System.Net.Sockets;
using Cadence.Console;
using Cadence.Messages;
using Cadence.Metrics;
using Cadence.Tests.Infrastructure;
using Cadence.Tests.Messages;
using Microsoft.Extensions.Hosting;

namespace Cadence.Tests.Metrics;

public sealed class MetricsTests
{
    static readonly string[] CadenceSeries =
    [
        "cadence_texts_total{", "cadence_outbox_depth", "cadence_outbox_oldest_age_seconds", "cadence_import_rows_total{",
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
        await using var m = await MessagesApp.StartAsync(Store.Sqlite);
        var ct = TestContext.Current.CancellationToken;
        // The worker stopped, texts stay queued.
        await m.App.Services.GetServices<IHostedService>().OfType<OutboxWorker>().Single().StopAsync(ct);
        using var client = m.App.Http();
        Assert.Equal(HttpStatusCode.OK, (await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", mobileNumber = "7165550101", messageContent = "One" })).Response.StatusCode);
        var (scheduled, _) = await m.PostAsync("/v2/messages/bulk", new
        {
            departmentCode = "SS", messageContent = "Later", scheduledFor = m.App.Time.GetUtcNow().AddDays(1), recipients = new[] { new { mobileNumber = "7165550102" } },
        });
        m.App.Time.Advance(TimeSpan.FromSeconds(90));

        var first = await ScrapeAsync(client);
        Assert.Equal("1", Value(first, "cadence_outbox_depth"));
        Assert.Equal("90", Value(first, "cadence_outbox_oldest_age_seconds"));

        Assert.Equal(HttpStatusCode.OK, (await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", mobileNumber = "7165550102", messageContent = "Two" })).Response.StatusCode);
        m.App.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("1", Value(await ScrapeAsync(client), "cadence_outbox_depth")); // still the reading of a second ago

        m.App.Time.Advance(TimeSpan.FromSeconds(5));
        var later = await ScrapeAsync(client);
        Assert.Equal("2", Value(later, "cadence_outbox_depth"));
        Assert.Equal("96", Value(later, "cadence_outbox_oldest_age_seconds"));
        Assert.True(scheduled.IsSuccessStatusCode, "the scheduled bulk send was refused");
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
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        await using var app = await CadenceApp.StartAsync(database, new() { ["Cadence:Metrics:AllowFrom:0"] = "10.9.0.0/16" });
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
        var result = await CliRunner.RunAsync(database, ["serve", "--urls", $"http://127.0.0.1:{port}", "--metrics-urls", $"http://127.0.0.1:{port}"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--metrics-urls", result.Error);
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
