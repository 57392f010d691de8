using System.CommandLine;
using Cadence.Audit;
using Cadence.Credentials;

namespace Cadence.Cli;

public static class CredentialsCommand
{
    public static Command Create(CliContext cli) =>
        new("credentials", "Manage API credentials") { CreateCommand(cli), ListCommand(cli), RevokeCommand(cli), RollCommand(cli), ScanCommand.Create(cli) };

    static Command CreateCommand(CliContext cli)
    {
        var name = new Option<string>("--name") { Description = "Which application uses it, precisely", Required = true };
        var scopes = new Option<string[]>("--scope") { Description = $"Repeat for each: {string.Join(", ", Scope.All)} (default: all)" };
        var teams = new Option<string[]>("--team") { Description = "Repeat for each team it may use (default: all teams)" };
        var expiresIn = new Option<string?>("--expires-in") { Description = "e.g. 90d; default: never" };
        var rateLimit = new Option<int?>("--rate-limit") { Description = "Requests per second (default from configuration)" };
        var command = new Command("create", "Create a credential; prints the key and the secret, once") { name, scopes, teams, expiresIn, rateLimit };
        command.SetAction(parse => CadenceCli.WithDatabaseAsync(parse, cli, async (services, organization) =>
        {
            var request = new NewCredential(
                parse.GetValue(name)!, parse.GetValue(scopes) ?? [], parse.GetValue(teams) ?? [],
                parse.GetValue(expiresIn) is { } e ? Durations.Parse(e) : null, parse.GetValue(rateLimit));
            var issued = await services.GetRequiredService<CredentialService>().CreateAsync(organization.Id, request, Actor.Shell());
            WriteIssued(cli, parse, issued, "Created");
            return 0;
        }));
        return command;
    }

    static Command ListCommand(CliContext cli)
    {
        var command = new Command("list", "List credentials: never their secrets");
        command.SetAction(parse => CadenceCli.WithDatabaseAsync(parse, cli, async (services, organization) =>
        {
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            var credentials = (await services.GetRequiredService<CredentialService>().ListAsync(organization.Id)).Select(c => c.AsResponse(now)).ToList();
            if (parse.GetValue(CadenceCli.Json))
            {
                cli.WriteJson(credentials);
                return 0;
            }
            TextTable.Write(cli.Out, ["KEY", "NAME", "STATUS", "CREATED", "LAST USED", "SCOPES", "TEAMS"],
                [.. credentials.Select(c => new[]
                {
                    c.Key, c.Name, c.Status, $"{c.CreatedAt:yyyy-MM-dd HH:mm} by {c.CreatedBy}",
                    c.LastUsedAt is { } used ? $"{used:yyyy-MM-dd HH:mm} from {c.LastUsedIp}" : "never",
                    string.Join(",", c.Scopes), string.Join(",", c.Teams),
                })]);
            return 0;
        }));
        return command;
    }

    static Command RevokeCommand(CliContext cli)
    {
        var key = new Argument<string?>("KEY") { Description = "The credential's key (cdk_…)", Arity = ArgumentArity.ZeroOrOne };
        var secretStdin = new Option<bool>("--secret-stdin")
        {
            Description = "Instead of a key, read leaked secrets from standard input, one per line, and stop each (never taken as an argument)",
        };
        var reason = new Option<string?>("--reason") { Description = "Why, for the record" };
        var command = new Command("revoke", "Revoke a credential at once and for good") { key, secretStdin, reason };
        command.SetAction(parse => CadenceCli.WithDatabaseAsync(parse, cli, async (services, organization) =>
        {
            if (parse.GetValue(secretStdin))
            {
                return parse.GetValue(key) is null
                    ? await StopSecretsAsync(cli, parse, services.GetRequiredService<LeakedSecrets>(), organization.Id, parse.GetValue(reason))
                    : throw new CadenceException("Give a KEY or --secret-stdin, not both.");
            }
            var credential = await services.GetRequiredService<CredentialService>().RevokeAsync(organization.Id,
                parse.GetValue(key) ?? throw new CadenceException("Give the KEY of the credential to revoke, or --secret-stdin to revoke by its secret."),
                parse.GetValue(reason), Actor.Shell());
            if (parse.GetValue(CadenceCli.Json))
            {
                cli.WriteJson(credential.AsResponse(services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime));
            }
            else
            {
                cli.Out.WriteLine($"Revoked {credential.Key} ({credential.Name}) at {credential.RevokedAt:yyyy-MM-dd HH:mm:ss}Z.");
            }
            return 0;
        }));
        return command;
    }

    /// <summary>The leak response by secret: whoever has the secret can stop it without knowing its key.</summary>
    static async Task<int> StopSecretsAsync(CliContext cli, ParseResult parse, LeakedSecrets leaked, Guid organizationId, string? reason)
    {
        var exit = 0;
        var results = new List<object>();
        while (cli.In.ReadLine() is { } line)
        {
            if (line.Trim() is not { Length: > 0 } text)
            {
                continue;
            }
            var secret = new ApiSecret(text);
            var found = await leaked.StopAsync(organizationId, secret, reason?.Trim() is { Length: > 0 } r ? r : "leaked: revoked by presenting the secret", Actor.Shell());
            var c = found.Credential;
            results.Add(new { Key = c?.Key, Name = c?.Name, Was = found.Standing.ToString().ToLowerInvariant(), StoppedNow = found.Works });
            if (found.Standing == SecretStanding.Unknown)
            {
                exit = 1;
                cli.Error.WriteLine(SecretFormat.IsSecret(text)
                    ? "error: that secret belongs to no credential here (another Cadence's, or long replaced)."
                    : "error: that line is not a Cadence secret (cds_…, with a valid checksum).");
            }
            else if (!parse.GetValue(CadenceCli.Json))
            {
                cli.Out.WriteLine(found.Standing switch
                {
                    SecretStanding.Active => $"Revoked {c!.Key} ({c.Name}): its secret was presented.",
                    SecretStanding.Grace => $"Stopped the old secret of {c!.Key} ({c.Name}) now; its current secret still works.",
                    _ => $"That secret of {c!.Key} ({c.Name}) already does not work ({found.Standing.ToString().ToLowerInvariant()}).",
                });
            }
        }
        if (parse.GetValue(CadenceCli.Json))
        {
            cli.WriteJson(results);
        }
        return exit;
    }

    static Command RollCommand(CliContext cli)
    {
        var key = new Argument<string>("KEY") { Description = "The credential's key (cdk_…)" };
        var grace = new Option<string>("--grace") { Description = "How long the old secret keeps working: 0 to 7d", DefaultValueFactory = _ => "24h" };
        var command = new Command("roll", "Issue a new secret for the same key") { key, grace };
        command.SetAction(parse => CadenceCli.WithDatabaseAsync(parse, cli, async (services, organization) =>
        {
            var issued = await services.GetRequiredService<CredentialService>()
                .RollAsync(organization.Id, parse.GetValue(key)!, Durations.Parse(parse.GetValue(grace)!), Actor.Shell());
            WriteIssued(cli, parse, issued, "Rolled");
            return 0;
        }));
        return command;
    }

    static void WriteIssued(CliContext cli, ParseResult parse, IssuedCredential issued, string verb)
    {
        var c = issued.Credential;
        var teams = c.Teams.Count == 0 ? ["*"] : c.Teams.Select(t => t.Team!.DepartmentCode).Order().ToArray();
        if (parse.GetValue(CadenceCli.Json))
        {
            cli.WriteJson(new
            {
                c.Key, Secret = issued.Secret.Reveal(), c.Name, Scopes = Scope.Split(c.Scopes), Teams = teams,
                c.ExpiresAt, c.RateLimit, c.CreatedAt, OldSecretWorksUntil = c.PreviousSecretExpiresAt,
            });
            return;
        }
        cli.Out.WriteLine($"{verb} credential \"{c.Name}\"");
        cli.Out.WriteLine($"  Key:     {c.Key}");
        cli.Out.WriteLine($"  Secret:  {issued.Secret.Reveal()}");
        cli.Out.WriteLine($"  Scopes:  {string.Join(", ", Scope.Split(c.Scopes))}");
        cli.Out.WriteLine($"  Teams:   {string.Join(", ", teams)}");
        cli.Out.WriteLine($"  Expires: {(c.ExpiresAt is { } at ? $"{at:yyyy-MM-dd HH:mm:ss}Z" : "never")}");
        if (c.PreviousSecretExpiresAt is { } until)
        {
            cli.Out.WriteLine($"  The old secret keeps working until {until:yyyy-MM-dd HH:mm:ss}Z.");
        }
        cli.Out.WriteLine("The secret is shown only this once. Store it securely now; it cannot be displayed again.");
    }
}
