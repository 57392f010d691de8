using System.CommandLine;
using Cadence.Audit;
using Cadence.Users;

namespace Cadence.Cli;

public static class UsersCommand
{
    public static Command Create(CliContext cli)
    {
        var email = new Argument<string>("EMAIL") { Description = "The user's email, used to sign in" };
        var staffId = new Option<string>("--staff-id") { Description = "The user's staff id (\"User ID\"), unique in the organization", Required = true };
        var role = new Option<UserRole>("--role") { Description = "owner, admin or user", Required = true };
        var team = new Option<string?>("--team") { Description = "The team an admin or user belongs to" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from standard input (never from an argument)" };
        var add = new Command("add", "Add a console user") { email, staffId, role, team, passwordStdin };
        add.SetAction(parse => CadenceCli.WithDatabaseAsync(parse, cli, async (services, organization) =>
        {
            if (!parse.GetValue(passwordStdin))
            {
                throw new CadenceException("Give the password on standard input with --password-stdin; it is never taken as an argument.");
            }
            var password = cli.In.ReadLine() ?? "";
            var user = await services.GetRequiredService<UserService>().AddAsync(
                organization.Id, parse.GetValue(email)!, parse.GetValue(staffId)!, parse.GetValue(role), parse.GetValue(team), password, Actor.Shell());
            var roleName = parse.GetValue(role).ToString().ToLowerInvariant();
            if (parse.GetValue(CadenceCli.Json))
            {
                cli.WriteJson(new { user.Email, user.StaffId, Role = roleName, Team = parse.GetValue(team)?.ToUpperInvariant() });
            }
            else
            {
                cli.Out.WriteLine($"Added {roleName} {user.Email} (staff id {user.StaffId}).");
            }
            return 0;
        }));
        return new Command("users", "Manage console users") { add };
    }
}
