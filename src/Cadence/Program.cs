using System.Text.Json.Serialization;
using Cadence;
using Cadence.Authentication;
using Cadence.Cli;
using Cadence.Console;
using Cadence.Console.Inbox;
using Cadence.Console.Sso;
using Cadence.Contacts;
using Cadence.Credentials;
using Cadence.Data;
using Cadence.Docs;
using Cadence.Email;
using Cadence.Events;
using Cadence.Health;
using Cadence.Messages;
using Cadence.Metrics;
using Cadence.Retention;
using Cadence.Teams;
using Cadence.Webhooks;
using Microsoft.Extensions.Options;

// One executable: `cadence` and `cadence serve` run the server built below; `cadence <command>` (Cli/) manages it
// from the server's shell and exits.
return await Program.RunAsync(args, new CliContext(Console.In, Console.Out, Console.Error));

public partial class Program
{
    /// <summary>What the executable does with its arguments; tests call it with their own reader and writers.</summary>
    public static async Task<int> RunAsync(string[] args, CliContext cli, CancellationToken cancellationToken = default)
    {
        var parse = CadenceCli.Parse(args, cli);
        if (ServeCommand.Start(parse) is not { } start)
        {
            return await CadenceCli.InvokeAsync(parse, cli, cancellationToken);
        }
        // Until the host starts, a signal would end the process in the middle of the checks (a migration, a wait for a lock).
        using var signals = new StartSignals(cancellationToken);
        try
        {
            await using var server = BuildServer(start.Args, start.Overrides);
            await CheckBeforeStartAsync(server, signals.Token);
            signals.Dispose();
            // The host handles SIGTERM and Ctrl+C itself, and waits Cadence:ShutdownTimeout for the work in flight.
            await server.RunAsync(cancellationToken);
            return 0;
        }
        catch (Exception e) when (signals.Received is { } signal && e is OperationCanceledException or CadenceException)
        {
            // A transaction cut short rolls back: a migration is applied whole or not at all (docs/NOTES.md, "Session 11").
            return cli.Fail($"stopped by {signal} before the server started; nothing was served.");
        }
        catch (IOException e)
        {
            return cli.Fail($"cannot start the server: {e.Message}");
        }
        // What Cadence refused, a change the database refused (the first start's own rows), a setting that does not convert.
        catch (Exception e) when (CliContext.Describe(e) is { } message)
        {
            return cli.Fail(message);
        }
    }

    /// <summary>
    /// What the host checks as it starts, checked before it does, so that a setting or a database Cadence refuses
    /// stops the start with the one `error: …` line: inside the host's start the failure would also be logged as
    /// "Hosting failed to start", with the exception's type and stack trace. A worker that fails later is the host's to log.
    /// </summary>
    static async Task CheckBeforeStartAsync(WebApplication server, CancellationToken cancellationToken)
    {
        var services = server.Services;
        // The options registered with ValidateOnStart (Cadence:Retention, Cadence:Smtp, Cadence:Webhooks); the host's own call then passes.
        services.GetService<IStartupValidator>()?.Validate();
        // Every options class of Cadence's, read now: one bound only on first use would fail a request, not the start.
        foreach (var options in services.GetRequiredService<CadenceOptionTypes>().Types)
        {
            CadenceOptionTypes.Read(services, options);
        }
        // The settings read as the hosted services are made (Cadence:Webhooks, the pepper); the host starts these same instances.
        _ = services.GetServices<IHostedService>().Count();
        // Where it listens (merged with the metrics listener's, as Kestrel reads them), before a migration waits for it;
        // endpoints in a Kestrel:Endpoints section replace those addresses, and Kestrel checks them itself.
        if (!server.Configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            ListenAddresses.CheckFree(server.Configuration["urls"]);
        }
        await services.GetRequiredService<DatabaseStartup>().PrepareAsync(cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>The web server: the client API, the web console and the delivery worker.</summary>
    public static WebApplication BuildServer(string[] args, IReadOnlyDictionary<string, string?> overrides)
    {
        // appsettings.json sits beside the executable, wherever it is started from.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(overrides);
        var configuration = builder.Configuration;
        var metrics = configuration.MetricsSettings();
        var urls = configuration["urls"] is { Length: > 0 } given ? given : ServeCommand.DefaultUrls;
        builder.WebHost.UseUrls(MetricsExtensions.Urls(urls, metrics));

        builder.Services.AddSecretScrubbing();
        builder.Services.AddCadenceCore(configuration);
        builder.Services.AddDatabaseStartup();
        if (ImportWarmUp.Enabled(configuration))
        {
            builder.Services.AddHostedService<ImportWarmUp>();
        }
        builder.Services.AddRetention(configuration);
        // How long a stop waits for requests in flight and the outbox's chunk in the provider's hands.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = configuration.GetValue("Cadence:ShutdownTimeout", TimeSpan.FromSeconds(30)));
        builder.Services.AddApiKeyAuthentication(configuration);
        builder.Services.AddConsole();
        builder.Services.AddConsoleInbox();
        builder.Services.AddConsoleSso(configuration);
        builder.Services.AddSmsDelivery(configuration);
        builder.Services.AddEmailDelivery();
        builder.Services.AddWebhooks(configuration);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        // Binding failures reach ProblemExceptionHandler as exceptions in every environment, so that each 400 says what was wrong.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddApiDocument();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

        builder.Services.AddTrustedProxies(configuration);
        builder.Services.AddApiResponseHeaders();
        builder.AddCadenceMetrics(metrics);

        builder.Services.AddSingleton(CadenceOptionTypes.Of(builder.Services));
        var app = builder.Build();
        UsePipeline(app, metrics, urls);
        return app;
    }

    /// <summary>The middleware in its order, and every feature's endpoints.</summary>
    static void UsePipeline(WebApplication app, MetricsSettings metrics, string urls)
    {
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
    }
}
