using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Cadence.Audit;
using Cadence.Cli;
using Cadence.Credentials;
using Cadence.Data;
using Cadence.Teams;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Cadence.Tests.Infrastructure;

/// <summary>
/// The real server on a loopback port, over real HTTP, on a test's own database. Time is a
/// <see cref="FakeTimeProvider"/> that tests move forward; log lines at every level are kept.
/// </summary>
public sealed class CadenceApp : WebApplicationFactory<Program>
{
    public TestDatabase Database { get; }
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 9, 1, 12, 0, 0, TimeSpan.Zero));
    public LogCapture Logs { get; } = new();
    readonly Dictionary<string, string?> settings;

    public CadenceApp(TestDatabase database, Dictionary<string, string?>? settings = null)
    {
        Database = database;
        this.settings = settings ?? [];
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
    }

    public static async Task<CadenceApp> StartAsync(TestDatabase database, Dictionary<string, string?>? settings = null)
    {
        var app = new CadenceApp(database, settings);
        await Task.Run(app.StartServer);
        return app;
    }

    bool ownsDatabase;

    /// <summary>
    /// The setup most tests and fixtures share: a server on a fresh database of its own, which goes when the app is
    /// disposed. (Tests of several nodes on one database create the <see cref="TestDatabase"/> themselves.)
    /// </summary>
    public static async Task<CadenceApp> StartAsync(Store store, Dictionary<string, string?>? settings = null)
    {
        var database = await TestDatabase.CreateAsync(store);
        try
        {
            var app = await StartAsync(database, settings);
            app.ownsDatabase = true;
            return app;
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>Adds team <paramref name="code"/> and returns a client with a new full credential: the start of most API tests.</summary>
    public async Task<HttpClient> TeamClientAsync(string code = "SS", string? name = null)
    {
        await AddTeamAsync(code, name);
        return Http(await CreateCredentialAsync());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (ownsDatabase)
        {
            await Database.DisposeAsync();
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Cadence:LastUsedFlushInterval", "00:00:00.100");
        builder.UseSetting("Cadence:ImportWarmUp", "false"); // ImportWarmUpTests turns it on
        // Kestrel listens where UseKestrel says; without this the start's port check would try the default
        // localhost:5080, which parallel starts (and anything else on the machine) hold for a moment.
        builder.UseSetting("urls", "http://127.0.0.1:0");
        foreach (var (key, value) in Database.Settings.Concat(settings))
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging =>
        {
            logging.ClearProviders();
            logging.AddProvider(Logs);
            logging.SetMinimumLevel(LogLevel.Trace);
            logging.AddFilter<LogCapture>(null, LogLevel.Trace);
        });
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
    }

    public Uri Address => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>A plain HTTP client for the server, with no credentials.</summary>
    public HttpClient Http() => new() { BaseAddress = Address };

    /// <summary>A client that sends the credential as `curl -u key:secret` does.</summary>
    public HttpClient Http(string key, string secret)
    {
        var client = Http();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{key}:{secret}")));
        return client;
    }

    public HttpClient Http(IssuedCredential credential) => Http(credential.Credential.Key, credential.Secret.Reveal());

    public async Task<T> WithServicesAsync<T>(Func<IServiceProvider, Organization, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        var organization = await scope.ServiceProvider.GetRequiredService<CadenceDb>().Organizations.SingleAsync();
        return await work(scope.ServiceProvider, organization);
    }

    /// <summary>
    /// Runs the outbox worker's rounds on the test's thread until one finds nothing due, so that a test knows every
    /// due text was tried (rather than waiting and hoping the background worker looked). Start the app with a long
    /// <c>Cadence:OutboxPollInterval</c> so that the background loop stays asleep meanwhile.
    /// </summary>
    public async Task DrainOutboxAsync()
    {
        var worker = Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<Cadence.Messages.OutboxWorker>().Single();
        for (var round = 0; round < 1000 && await worker.RunOnceAsync(TestContext.Current.CancellationToken); round++)
        {
        }
    }

    public Task<Team> AddTeamAsync(string code, string? name = null) => WithServicesAsync((services, organization) =>
        services.GetRequiredService<TeamService>().AddAsync(organization.Id, code, name ?? code + " team", new Actor("test")));

    public Task<IssuedCredential> CreateCredentialAsync(
        string name = "Test integration", string[]? scopes = null, string[]? teams = null, TimeSpan? expiresIn = null, int? rateLimit = null) =>
        WithServicesAsync((services, organization) => services.GetRequiredService<CredentialService>().CreateAsync(
            organization.Id, new NewCredential(name, scopes ?? [], teams ?? [], expiresIn, rateLimit), new Actor("test", "127.0.0.1")));

    public Task<IssuedCredential> RollAsync(string key, TimeSpan grace) => WithServicesAsync((services, organization) =>
        services.GetRequiredService<CredentialService>().RollAsync(organization.Id, key, grace, new Actor("test")));

    public Task<Credential> RevokeAsync(string key, string? reason = null) => WithServicesAsync((services, organization) =>
        services.GetRequiredService<CredentialService>().RevokeAsync(organization.Id, key, reason, new Actor("test")));

    /// <summary>Runs a `cadence` command in-process against this app's database.</summary>
    public Task<CliResult> CliAsync(params string[] args) => CliRunner.RunAsync(Database, args);
}

public sealed record CliResult(int ExitCode, string Out, string Error);

public static class CliRunner
{
    public static async Task<CliResult> RunAsync(TestDatabase database, string[] args, string input = "")
    {
        var output = new StringWriter();
        var error = new StringWriter();
        // Bounded: a command that should fail but starts a server instead is stopped after a while.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var exit = await Program.RunAsync([.. args, .. database.CliArgs], new CliContext(new StringReader(input), output, error), timeout.Token);
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    /// <summary>Creates a credential from the shell (`credentials create --json`, with any further options).</summary>
    public static async Task<ShellCredential> CreateCredentialAsync(TestDatabase database, string name, params string[] more)
    {
        var created = await RunAsync(database, ["credentials", "create", "--name", name, "--json", .. more]);
        Assert.True(created.ExitCode == 0, created.Error);
        var json = System.Text.Json.JsonDocument.Parse(created.Out).RootElement;
        return new ShellCredential(json.GetProperty("key").GetString()!, json.GetProperty("secret").GetString()!);
    }

    /// <summary>Creates a credential from the shell and returns its Basic header value.</summary>
    public static async Task<string> BasicCredentialAsync(TestDatabase database, string name, params string[] more) =>
        (await CreateCredentialAsync(database, name, more)).Basic;
}

/// <summary>A credential as `credentials create --json` printed it.</summary>
public sealed record ShellCredential(string Key, string Secret)
{
    public string Basic => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{Key}:{Secret}"));
}
