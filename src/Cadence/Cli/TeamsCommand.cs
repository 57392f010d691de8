using System.CommandLine;
using Cadence.Audit;
using Cadence.Teams;

namespace Cadence.Cli;

public static class TeamsCommand
{
    public static Command Create(CliContext cli)
    {
        var code = new Argument<string>("CODE") { Description = "The department code, e.g. SS or ADM" };
        var name = new Option<string>("--name") { Description = "The team's name", Required = true };
        var timeZone = new Option<string?>("--time-zone") { Description = $"IANA time zone for quiet hours (default {Team.DefaultTimeZone})" };
        var add = new Command("add", "Add a team") { code, name, timeZone };
        add.SetAction(parse => CadenceCli.WithDatabaseAsync(parse, cli, async (services, organization) =>
        {
            var team = await services.GetRequiredService<TeamService>()
                .AddAsync(organization.Id, parse.GetValue(code)!, parse.GetValue(name)!, Actor.Shell(), default, parse.GetValue(timeZone));
            if (parse.GetValue(CadenceCli.Json))
            {
                cli.WriteJson(team.AsResponse());
            }
            else
            {
                cli.Out.WriteLine($"Added team {team.DepartmentCode} ({team.Name}).");
            }
            return 0;
        }));

        var list = new Command("list", "List the teams");
        list.SetAction(parse => CadenceCli.WithDatabaseAsync(parse, cli, async (services, organization) =>
        {
            var teams = await services.GetRequiredService<TeamService>().ListAsync(organization.Id);
            if (parse.GetValue(CadenceCli.Json))
            {
                cli.WriteJson(teams.Select(t => t.AsResponse()));
            }
            else
            {
                TextTable.Write(cli.Out, ["CODE", "NAME", "TIME ZONE"], [.. teams.Select(t => new[] { t.DepartmentCode, t.Name, t.TimeZone })]);
            }
            return 0;
        }));

        return new Command("teams", "Manage teams (departments)") { add, list };
    }
}
