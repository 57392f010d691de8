using System.CommandLine;

namespace Cadence.Cli;

public static class ServeCommand
{
    static readonly Option<string?> Urls = new("--urls") { Description = "Where to listen (default http://localhost:5080)" };
    static readonly Option<string?> MetricsUrls = new("--metrics-urls") { Description = "A separate listener for /metrics only (e.g. http://10.0.0.5:9464)" };

    /// <summary>`cadence serve`, which is also what plain `cadence` does.</summary>
    public static void AddTo(RootCommand root, CliContext cli)
    {
        var serve = new Command("serve", "Run the API server (the default command)");
        foreach (var command in new Command[] { root, serve })
        {
            command.Options.Add(Urls);
            command.Options.Add(MetricsUrls);
            // Anything else (e.g. --Logging:LogLevel:Default=Debug) is ASP.NET Core configuration.
            command.TreatUnmatchedTokensAsErrors = false;
            command.SetAction((parse, cancellationToken) =>
                // The commands are read when it runs: the others are added to the root after this one.
                ServerArguments.Check(parse.UnmatchedTokens, root.Subcommands.Select(c => c.Name), root.Options.Concat(serve.Options).Select(o => o.Name)) is { } mistake
                    ? Task.FromResult(Refuse(cli, mistake))
                    : RunAsync(parse, cli, cancellationToken));
        }
        root.Subcommands.Add(serve);
    }

    static int Refuse(CliContext cli, string mistake)
    {
        cli.Error.WriteLine($"error: {mistake}");
        return 1;
    }

    static async Task<int> RunAsync(ParseResult parse, CliContext cli, CancellationToken cancellationToken)
    {
        var overrides = CadenceCli.Overrides(parse);
        if (parse.GetValue(Urls) is { } urls)
        {
            overrides["urls"] = urls;
        }
        if (parse.GetValue(MetricsUrls) is { } metricsUrls)
        {
            overrides["Cadence:Metrics:Urls"] = metricsUrls;
        }
        try
        {
            var app = Program.BuildServer([.. parse.UnmatchedTokens], overrides);
            await app.RunAsync(cancellationToken);
            return 0;
        }
        catch (CadenceException e)
        {
            cli.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (IOException e)
        {
            cli.Error.WriteLine($"error: cannot start the server: {e.Message}");
            return 1;
        }
    }
}
