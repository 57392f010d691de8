using System.Net;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using IPNetwork = System.Net.IPNetwork;

namespace Cadence.Metrics;

/// <summary>
/// OpenTelemetry metrics: ASP.NET Core's (http_server_request_duration_seconds, …), the runtime's and Cadence's own,
/// scraped by Prometheus at /metrics and, when OTEL_EXPORTER_OTLP_ENDPOINT is set, pushed over OTLP as well.
/// </summary>
public static class MetricsExtensions
{
    static readonly IReadOnlyList<IPNetwork> Loopback = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];

    public static MetricsSettings MetricsSettings(this IConfiguration configuration) =>
        configuration.GetSection("Cadence:Metrics").Get<MetricsSettings>() ?? new MetricsSettings();

    public static WebApplicationBuilder AddCadenceMetrics(this WebApplicationBuilder builder, MetricsSettings metrics)
    {
        if (!metrics.Enabled)
        {
            return builder;
        }
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("cadence"))
            .WithMetrics(m =>
            {
                m.AddMeter(CadenceMetrics.MeterName).AddAspNetCoreInstrumentation().AddRuntimeInstrumentation().AddPrometheusExporter();
                // The standard variable (and OTEL_EXPORTER_OTLP_PROTOCOL, _HEADERS, …) configures the exporter itself.
                if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
                {
                    m.AddOtlpExporter();
                }
            });
        return builder;
    }

    /// <summary>The listening addresses: the main ones and, when named, the separate metrics listener's.</summary>
    public static string Urls(string main, MetricsSettings metrics) =>
        string.IsNullOrWhiteSpace(metrics.Urls) || !metrics.Enabled ? main : main + ";" + metrics.Urls;

    /// <summary>First in the pipeline: before forwarded headers can replace the connection's address.</summary>
    public static WebApplication UseCadenceMetrics(this WebApplication app, MetricsSettings metrics, string mainUrls)
    {
        if (!metrics.Enabled)
        {
            return app;
        }
        var allowFrom = metrics.AllowFrom.Length == 0 ? null : IpRanges.Parse(metrics.AllowFrom, "Cadence:Metrics:AllowFrom");
        var ports = MetricsPorts(metrics.Urls, mainUrls);
        if (ports.Count == 0)
        {
            var allowed = allowFrom ?? Loopback;
            app.UseOpenTelemetryPrometheusScrapingEndpoint(http => IsMetricsPath(http) && Allowed(http, allowed));
            return app;
        }
        // The metrics listener serves /metrics and nothing else; the main listener has no /metrics (it falls through to a 404).
        app.MapWhen(http => ports.Contains(http.Connection.LocalPort), branch =>
        {
            branch.UseOpenTelemetryPrometheusScrapingEndpoint(http => IsMetricsPath(http) && (allowFrom is null || Allowed(http, allowFrom)));
            branch.Run(http =>
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        });
        return app;
    }

    // Exactly /metrics (a proxy rule blocking /metrics must not be passed by /METRICS), and never a request a proxy
    // forwarded: behind nginx on the same host every outside request connects from loopback.
    static bool IsMetricsPath(HttpContext http) =>
        http.Request.Path.Equals("/metrics", StringComparison.Ordinal)
        && !http.Request.Headers.ContainsKey("X-Forwarded-For") && !http.Request.Headers.ContainsKey("Forwarded");

    static bool Allowed(HttpContext http, IReadOnlyList<IPNetwork> allowed)
    {
        if (http.Connection.RemoteIpAddress is not { } address)
        {
            return false;
        }
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var network in allowed)
        {
            if (network.Contains(plain))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The ports of the metrics listener, which must be fixed and differ from the main listener's.</summary>
    static HashSet<int> MetricsPorts(string? metricsUrls, string mainUrls)
    {
        var ports = new HashSet<int>();
        if (string.IsNullOrWhiteSpace(metricsUrls))
        {
            return ports;
        }
        var main = Split(mainUrls).Select(u => TryPort(u)).ToHashSet();
        foreach (var url in Split(metricsUrls))
        {
            if (TryPort(url) is not { } port || port == 0 || main.Contains(port))
            {
                throw new CadenceException($"--metrics-urls holds '{TextCut.Cut(url, 64)}': give an address with its own port, " +
                    "not 0 and not the main listener's (for example http://10.0.0.5:9464).");
            }
            ports.Add(port);
        }
        return ports;
    }

    static IEnumerable<string> Split(string urls) => urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    static int? TryPort(string url)
    {
        try
        {
            return BindingAddress.Parse(url).Port;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
