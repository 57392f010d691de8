using System.CommandLine;
using Cadence.Audit;
using Cadence.Contacts;
using Cadence.Data;
using Cadence.Teams;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Cli;

public static class FieldsCommand
{
    public static Command Create(CliContext cli)
    {
        var code = new Argument<string>("CODE") { Description = "The team's department code" };
        var name = new Argument<string>("NAME") { Description = "The field's name, e.g. Major" };
        var required = new Option<bool>("--required") { Description = "Every contact must have a value" };
        var mergeable = new Option<bool>("--mergeable") { Description = "Usable as {NAME} in messages" };
        var hidden = new Option<bool>("--hidden-from-staff") { Description = "Not shown to users who are not admins" };
        var add = new Command("add", "Define a custom field for a team") { code, name, required, mergeable, hidden };
        add.SetAction(parse => CadenceCli.WithDatabaseAsync(parse, cli, async (services, organization) =>
        {
            var team = await FindTeamAsync(services, organization, parse.GetValue(code)!);
            var field = await services.GetRequiredService<CustomFieldService>().AddAsync(
                team, parse.GetValue(name)!, parse.GetValue(required), parse.GetValue(mergeable), parse.GetValue(hidden), Actor.Shell());
            if (parse.GetValue(CadenceCli.Json))
            {
                cli.WriteJson(field.AsResponse());
            }
            else
            {
                cli.Out.WriteLine($"Added field {field.Name} to team {team.DepartmentCode}.");
            }
            return 0;
        }));

        var listCode = new Argument<string>("CODE") { Description = "The team's department code" };
        var list = new Command("list", "List a team's custom fields") { listCode };
        list.SetAction(parse => CadenceCli.WithDatabaseAsync(parse, cli, async (services, organization) =>
        {
            var team = await FindTeamAsync(services, organization, parse.GetValue(listCode)!);
            var fields = await services.GetRequiredService<CustomFieldService>().ListAsync(team);
            if (parse.GetValue(CadenceCli.Json))
            {
                cli.WriteJson(fields.Select(f => f.AsResponse()));
            }
            else
            {
                TextTable.Write(cli.Out, ["NAME", "REQUIRED", "MERGEABLE", "HIDDEN FROM STAFF"],
                    [.. fields.Select(f => new[] { f.Name, YesNo(f.Required), YesNo(f.Mergeable), YesNo(f.HiddenFromStaff) })]);
            }
            return 0;
        }));
        return new Command("fields", "Manage a team's custom contact fields") { add, list };
    }

    static string YesNo(bool value) => value ? "yes" : "no";

    static Task<Team> FindTeamAsync(IServiceProvider services, Organization organization, string departmentCode) =>
        TeamLookup.FindAsync(services.GetRequiredService<CadenceDb>(), organization.Id, DepartmentCode.Parse(departmentCode).ToString(), default);
}
