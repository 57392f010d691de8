using System.CommandLine;

namespace Cadence.Cli;

/// <summary>
/// `cadence serve`, which is also what plain `cadence` does. The command line is read here; the server is built and
/// run by Program.RunAsync, so that the start reads straight from Program.cs.
/// </summary>
public static class ServeCommand
{
    /// <summary>Where the server listens unless --urls, ASPNETCORE_URLS or "urls" in appsettings.json says otherwise.</summary>
    public const string DefaultUrls = "http://localhost:5080";

    static readonly Option<string?> Urls = new("--urls") { Description = $"Where to listen (default {DefaultUrls})" };
    static readonly Option<string?> MetricsUrls = new("--metrics-urls") { Description = "A separate listener for /metrics only (e.g. http://10.0.0.5:9464)" };

    /// <summary>A server start the command line asks for: ASP.NET Core's own arguments and the settings the options stand for.</summary>
    public sealed record ServerStart(string[] Args, Dictionary<string, string?> Overrides);

    public static void AddTo(RootCommand root, CliContext cli)
    {
        var serve = new Command("serve", "Run the API server (the default command)");
        foreach (var command in new Command[] { root, serve })
        {
            command.Options.Add(Urls);
            command.Options.Add(MetricsUrls);
            // Anything else (e.g. --Logging:LogLevel:Default=Warning) is ASP.NET Core configuration.
            command.TreatUnmatchedTokensAsErrors = false;
            // Invoked only when Start found a mistake on the line (or by a caller that skipped Program.RunAsync).
            command.SetAction(parse => cli.Fail(Mistake(parse) ?? "`serve` starts through Program.RunAsync, not CadenceCli.RunAsync."));
        }
        root.Subcommands.Add(serve);
    }

    /// <summary>The server's start when the line is `cadence [serve] …` with nothing wrong; null for anything else (a command, help, a mistake).</summary>
    public static ServerStart? Start(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        if (!(command is RootCommand || command.Name == "serve") || parse.Action != command.Action || Mistake(parse) is not null)
        {
            return null;
        }
        var overrides = CadenceCli.Overrides(parse);
        if (parse.GetValue(Urls) is { } urls)
        {
            overrides["urls"] = urls;
        }
        if (parse.GetValue(MetricsUrls) is { } metricsUrls)
        {
            overrides["Cadence:Metrics:Urls"] = metricsUrls;
        }
        return new ServerStart([.. parse.UnmatchedTokens], overrides);
    }

    static string? Mistake(ParseResult parse)
    {
        var root = parse.RootCommandResult.Command;
        var options = root.Options.Concat(root.Subcommands.Single(c => c.Name == "serve").Options);
        return ServerArguments.Check(parse.UnmatchedTokens, root.Subcommands.Select(c => c.Name), options.Select(o => o.Name));
    }
}
