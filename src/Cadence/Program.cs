using System.Text.Json.Serialization;
using Cadence;
using Cadence.Authentication;
using Cadence.Cli;
using Cadence.Console;
using Cadence.Console.Sso;
using Cadence.Contacts;
using Cadence.Credentials;
using Cadence.Data;
using Cadence.Docs;
using Cadence.Email;
using Cadence.Events;
using Cadence.Health;
using Cadence.Inbox;
using Cadence.Messages;
using Cadence.Metrics;
using Cadence.Retention;
using Cadence.Teams;
using Cadence.Webhooks;
using Microsoft.Extensions.DependencyInjection.Extensions;

return await CadenceCli.RunAsync(args, Console.In, Console.Out, Console.Error);

public partial class Program
{
    /// <summary>The web server: the client API, the web console and the delivery worker.</summary>
    public static WebApplication BuildServer(string[] args, IReadOnlyDictionary<string, string?> overrides)
    {
        // appsettings.json sits beside the executable, wherever it is started from.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(overrides);
        var metrics = builder.Configuration.MetricsSettings();
        var urls = builder.Configuration["urls"] is { Length: > 0 } given ? given : "http://localhost:5080";
        builder.WebHost.UseUrls(MetricsExtensions.Urls(urls, metrics));
        var settings = CadenceSettings.From(builder.Configuration);

        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory, SecretScrubbingLoggerFactory>());
        builder.Services.AddCadenceCore(settings);
        builder.Services.AddHostedService<DatabaseStartup>();
        builder.Services.AddHostedService<Cadence.Contacts.ImportWarmUp>();
        settings.Retention.Validate();
        builder.Services.AddSingleton<RetentionJob>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RetentionJob>());
        // How long a stop waits for requests in flight and the outbox's chunk in the provider's hands.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.ShutdownTimeout);
        builder.Services.AddApiKeyAuthentication();
        builder.Services.AddConsole();
        builder.Services.AddInbox();
        builder.Services.AddConsoleSso(settings.Sso);
        builder.Services.AddSmsDelivery(settings, builder.Configuration);
        builder.Services.AddEmailDelivery(settings);
        builder.Services.AddWebhooks(builder.Configuration);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<Errors>();
        // Binding failures reach Errors as exceptions in every environment, so that each 400 says what was wrong.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddApiDocument();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

        builder.Services.AddTrustedProxies(settings);
        builder.Services.AddApiResponseHeaders();
        builder.AddCadenceMetrics(metrics);

        var app = builder.Build();
        // First: it reads the connection's own address, before forwarded headers replace it.
        app.UseCadenceMetrics(metrics, urls);
        // Before routing, so that a HEAD finds the GET endpoint (routing would otherwise run first and answer 405).
        app.UseHeadAsGet();
        app.UseRouting();
        app.UseForwardedHeaders();
        app.UseApiResponseHeaders();
        app.UseExceptionHandler();
        app.UseStatusPages();
        app.UseConsoleHeaders();
        app.UseConsoleAssets();
        app.UseApiKeyAuthentication();

        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapDocs();
        app.MapHealth();
        app.MapTeams();
        app.MapCredentials();
        app.MapContacts();
        app.MapCustomFields();
        app.MapMessages();
        app.MapEvents();
        app.MapSimulator();
        app.MapTwilioWebhooks();
        app.MapInbox();
        app.MapRazorPages();
        return app;
    }
}
