using System.CommandLine;
using System.Text.Json;
using Cadence.Credentials;
using Cadence.Data;
using Cadence.Teams;
using Cadence.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cadence.Cli;

/// <summary>Where a command reads and writes, and where its appsettings.json is; tests hand in their own.</summary>
public sealed record CliContext(TextReader In, TextWriter Out, TextWriter Error)
{
    /// <summary>appsettings.json sits beside the executable, as the server reads it.</summary>
    public string SettingsDirectory { get; init; } = AppContext.BaseDirectory;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web) { WriteIndented = true };

    public void WriteJson<T>(T value) => Out.WriteLine(JsonSerializer.Serialize(value, Json));

    /// <summary>How every command and the server's start refuse: `error: …` on stderr, and the exit code 1.</summary>
    public int Fail(string message)
    {
        Error.WriteLine($"error: {message}");
        return 1;
    }

    /// <summary>
    /// The one line a command or the server's start refuses with, for the failures that are the operator's to mend
    /// (what Cadence refused, a change the database refused, a setting that does not convert); null for anything else,
    /// a bug, which keeps its stack trace.
    /// </summary>
    public static string? Describe(Exception e) => e switch
    {
        CadenceException refused => refused.Message,
        DbUpdateException db => $"the database refused the change: {db.InnerException?.Message ?? db.Message}",
        InvalidOperationException setting => BadSetting.Describe(setting),
        _ => null,
    };
}

/// <summary>The `cadence` command line: `serve` (the default) and the commands that manage it from the server's shell.</summary>
public static class CadenceCli
{
    // Recursive: each may stand anywhere on the line, before or after the command.
    internal static readonly Option<string?> Data = new("--data") { Description = "The data directory (default ./data): SQLite file, pepper", Recursive = true };
    internal static readonly Option<string?> Database = new("--database") { Description = "A PostgreSQL connection string (or set CADENCE_DATABASE)", Recursive = true };
    internal static readonly Option<bool> Json = new("--json") { Description = "Machine-readable output", Recursive = true };

    public static Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        RunAsync(args, new CliContext(input, output, error), cancellationToken);

    /// <summary>Runs a management command (or prints help, the version, a mistake); the server itself starts in Program.RunAsync.</summary>
    public static Task<int> RunAsync(string[] args, CliContext cli, CancellationToken cancellationToken = default) =>
        InvokeAsync(Parse(args, cli), cli, cancellationToken);

    /// <summary>The whole command line, serve included, so that help lists every command and a mistake finds its suggestion.</summary>
    public static ParseResult Parse(string[] args, CliContext cli)
    {
        var root = new RootCommand("Cadence: the self-hostable SMS platform API for colleges.");
        root.Options.Add(Data);
        root.Options.Add(Database);
        root.Options.Add(Json);
        ServeCommand.AddTo(root, cli);
        root.Subcommands.Add(MigrateCommand(cli));
        root.Subcommands.Add(TeamsCommand.Create(cli));
        root.Subcommands.Add(UsersCommand.Create(cli));
        root.Subcommands.Add(CredentialsCommand.Create(cli));
        root.Subcommands.Add(FieldsCommand.Create(cli));
        root.Subcommands.Add(WebhooksCommand.Create(cli));
        foreach (var command in BackupCommand.Create(cli))
        {
            root.Subcommands.Add(command);
        }
        return root.Parse(args);
    }

    public static Task<int> InvokeAsync(ParseResult parse, CliContext cli, CancellationToken cancellationToken = default) =>
        parse.InvokeAsync(new InvocationConfiguration { Output = cli.Out, Error = cli.Error, EnableDefaultExceptionHandler = false }, cancellationToken);

    /// <summary>
    /// What a management command reads its settings from, in the server's order: appsettings.json (and
    /// appsettings.{environment}.json) beside the executable, then environment variables, then the command's own
    /// options. Without the files, a `Cadence:Database` set in appsettings.json would send commands to another database.
    /// </summary>
    internal static IConfiguration Configuration(ParseResult parse, CliContext cli, bool migrate = false)
    {
        var overrides = Overrides(parse);
        if (migrate)
        {
            overrides["Cadence:MigrateOnStart"] = "true";
        }
        var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? "Production";
        return new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(cli.SettingsDirectory, "appsettings.json"), optional: true)
            .AddJsonFile(Path.Combine(cli.SettingsDirectory, $"appsettings.{environment}.json"), optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(overrides)
            .Build();
    }

    /// <summary>The configuration keys the global options stand for.</summary>
    internal static Dictionary<string, string?> Overrides(ParseResult parse)
    {
        var overrides = new Dictionary<string, string?>();
        if (parse.GetValue(Data) is { } data)
        {
            overrides["Cadence:DataDirectory"] = data;
        }
        if (parse.GetValue(Database) is { } database)
        {
            overrides["Cadence:Database"] = database;
        }
        return overrides;
    }

    /// <summary>
    /// Runs a management command against the database the options name, after bringing it up to date.
    /// A <see cref="CadenceException"/> becomes a message on stderr and exit code 1.
    /// </summary>
    internal static async Task<int> WithDatabaseAsync(ParseResult parse, CliContext cli, Func<IServiceProvider, Organization, Task<int>> work, bool migrate = false)
    {
        try
        {
            var configuration = Configuration(parse, cli, migrate);
            var services = new ServiceCollection().AddLogging().AddCadenceCore(configuration).AddWebhookManagement(configuration);
            await using var provider = services.BuildServiceProvider();
            await using var scope = provider.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CadenceDb>();
            var organization = await DatabaseSetup.PrepareAsync(db, provider.GetRequiredService<IOptions<DataOptions>>().Value,
                provider.GetRequiredService<SecretHasher>(), provider.GetRequiredService<TimeProvider>());
            return await work(scope.ServiceProvider, organization);
        }
        catch (Exception e) when (CliContext.Describe(e) is { } message)
        {
            return cli.Fail(message);
        }
    }

    static Command MigrateCommand(CliContext cli)
    {
        var command = new Command("migrate", "Bring the database to the current schema (PostgreSQL needs this before `serve`)");
        command.SetAction(parse => WithDatabaseAsync(parse, cli, async (services, _) =>
        {
            var db = services.GetRequiredService<CadenceDb>();
            var applied = (await db.Database.GetAppliedMigrationsAsync()).Count();
            cli.Out.WriteLine($"The {(db.IsPostgres ? "PostgreSQL" : "SQLite")} database is on the current schema ({applied} migrations applied).");
            return 0;
        }, migrate: true));
        return command;
    }
}
