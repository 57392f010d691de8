using System.CommandLine;
using Cadence.Audit;
using Cadence.Events;
using Cadence.Webhooks;

namespace Cadence.Cli;

/// <summary>`cadence webhooks add|list|remove|roll-secret`: endpoints managed from the server's shell (as an owner would).</summary>
public static class WebhooksCommand
{
    public static Command Create(CliContext cli) =>
        new("webhooks", "Manage webhook endpoints (signed event deliveries)") { AddCommand(cli), ListCommand(cli), RemoveCommand(cli), RollCommand(cli) };

    static Command AddCommand(CliContext cli)
    {
        var url = new Argument<string>("URL") { Description = "Where to POST events (http:// or https://)" };
        var events = new Option<string[]>("--event")
        {
            Description = $"Repeat for each event type: {string.Join(", ", EventTypes.All)}", Required = true, AllowMultipleArgumentsPerToken = true,
        };
        var teams = new Option<string[]>("--team") { Description = "Repeat for each team whose events it receives (default: all teams)" };
        var command = new Command("add", "Add an endpoint; prints its signing secret, once") { url, events, teams };
        command.SetAction(parse => CadenceCli.WithDatabaseAsync(parse, cli, async (services, organization) =>
        {
            var issued = await services.GetRequiredService<WebhookService>().AddAsync(organization.Id, parse.GetValue(url),
                parse.GetValue(events) ?? [], parse.GetValue(teams) ?? [], Actor.Shell());
            WriteIssued(cli, parse, issued, "Added");
            return 0;
        }));
        return command;
    }

    static Command ListCommand(CliContext cli)
    {
        var command = new Command("list", "List endpoints: never their secrets");
        command.SetAction(parse => CadenceCli.WithDatabaseAsync(parse, cli, async (services, organization) =>
        {
            var endpoints = (await services.GetRequiredService<WebhookService>().ListAsync(organization.Id)).Select(e => e.AsResponse()).ToList();
            if (parse.GetValue(CadenceCli.Json))
            {
                cli.WriteJson(endpoints);
                return 0;
            }
            TextTable.Write(cli.Out, ["ID", "URL", "STATUS", "EVENTS", "TEAMS"],
                [.. endpoints.Select(e => new[]
                {
                    e.Id, e.Url, e.Enabled ? "enabled" : $"disabled ({e.DisabledReason})", string.Join(",", e.Events),
                    e.Teams.Count == 0 ? "all" : string.Join(",", e.Teams),
                })]);
            return 0;
        }));
        return command;
    }

    static Command RemoveCommand(CliContext cli)
    {
        var id = new Argument<string>("ID") { Description = "The endpoint's id (whk_…)" };
        var command = new Command("remove", "Remove an endpoint and its delivery log") { id };
        command.SetAction(parse => CadenceCli.WithDatabaseAsync(parse, cli, async (services, organization) =>
        {
            await services.GetRequiredService<WebhookService>().RemoveAsync(organization.Id, parse.GetValue(id)!, Actor.Shell());
            cli.Out.WriteLine($"Removed webhook {parse.GetValue(id)!.Trim()}.");
            return 0;
        }));
        return command;
    }

    static Command RollCommand(CliContext cli)
    {
        var id = new Argument<string>("ID") { Description = "The endpoint's id (whk_…)" };
        var command = new Command("roll-secret", "Make a new signing secret; the old one also signs for 24 hours") { id };
        command.SetAction(parse => CadenceCli.WithDatabaseAsync(parse, cli, async (services, organization) =>
        {
            var issued = await services.GetRequiredService<WebhookService>().RollSecretAsync(organization.Id, parse.GetValue(id)!, Actor.Shell());
            WriteIssued(cli, parse, issued, "Rolled the secret of");
            return 0;
        }));
        return command;
    }

    static void WriteIssued(CliContext cli, ParseResult parse, IssuedWebhook issued, string verb)
    {
        if (parse.GetValue(CadenceCli.Json))
        {
            cli.WriteJson(issued.AsResponse());
            return;
        }
        cli.Out.WriteLine($"{verb} webhook {issued.Endpoint.PublicId} → {issued.Endpoint.Url}");
        cli.Out.WriteLine($"Signing secret: {issued.Secret}");
        cli.Out.WriteLine(verb == "Added"
            ? "Copy it now: it is not shown again. Verify each delivery's webhook-signature with it (see /docs)."
            : "Copy it now: it is not shown again. The old secret also signs deliveries for 24 hours.");
    }
}
