using System.CommandLine;
using Cadence.Audit;
using Cadence.Teams;
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
        var name = new Option<string?>("--name") { Description = "The person's name, as the console shows it" };
        var add = new Command("add", "Add a console user") { email, staffId, role, team, passwordStdin, name };
        add.SetAction(parse => CadenceCli.WithDatabaseAsync(parse, cli, async (services, organization) =>
        {
            if (!parse.GetValue(passwordStdin))
            {
                throw new CadenceException("Give the password on standard input with --password-stdin; it is never taken as an argument.");
            }
            var password = cli.In.ReadLine() ?? "";
            var user = await services.GetRequiredService<UserService>().AddAsync(
                organization.Id, parse.GetValue(email)!, parse.GetValue(staffId)!, parse.GetValue(role), parse.GetValue(team), password, Actor.Shell(),
                default, parse.GetValue(name));
            var roleName = parse.GetValue(role).ToString().ToLowerInvariant();
            if (parse.GetValue(CadenceCli.Json))
            {
                cli.WriteJson(new { user.Email, user.StaffId, Role = roleName, Team = DepartmentCode.Normalize(parse.GetValue(team)) });
            }
            else
            {
                cli.Out.WriteLine($"Added {roleName} {user.Email} (staff id {user.StaffId}).");
            }
            return 0;
        }));
        return new Command("users", "Manage console users") { add, ListCommand(cli), RoleCommand(cli), PasswordCommand(cli), DisableCommand(cli) };
    }

    static Command ListCommand(CliContext cli)
    {
        var command = new Command("list", "List console users, their roles and status");
        command.SetAction(parse => CadenceCli.WithDatabaseAsync(parse, cli, async (services, organization) =>
        {
            var teams = (await services.GetRequiredService<Teams.TeamService>().ListAsync(organization.Id)).ToDictionary(t => t.Id, t => t.DepartmentCode);
            var users = (await services.GetRequiredService<UserService>().ListAsync(organization.Id)).Select(u => new
            {
                u.Email, u.Name, u.StaffId,
                Roles = u.IsOwner ? ["owner"] : u.Memberships.Select(m => $"{m.Role.ToString().ToLowerInvariant()}:{teams[m.TeamId]}").Order().ToArray(),
                Status = u.DisabledAt is null ? "active" : "disabled",
            }).ToList();
            if (parse.GetValue(CadenceCli.Json))
            {
                cli.WriteJson(users);
                return 0;
            }
            TextTable.Write(cli.Out, ["EMAIL", "NAME", "STAFF ID", "ROLES", "STATUS"],
                [.. users.Select(u => new[] { u.Email, u.Name, u.StaffId, string.Join(",", u.Roles), u.Status })]);
            return 0;
        }));
        return command;
    }

    static Command RoleCommand(CliContext cli)
    {
        var email = new Argument<string>("EMAIL") { Description = "The user's email" };
        var team = new Option<string>("--team") { Description = "The team", Required = true };
        var role = new Option<string>("--role") { Description = "admin, user, or none to take the team away", Required = true };
        var command = new Command("role", "Set a user's role in a team") { email, team, role };
        command.SetAction(parse => CadenceCli.WithDatabaseAsync(parse, cli, async (services, organization) =>
        {
            TeamRole? teamRole = parse.GetValue(role)!.Trim().ToLowerInvariant() switch
            {
                "admin" => TeamRole.Admin,
                "user" => TeamRole.User,
                "none" => null,
                var other => throw new CadenceException($"'{other}' is not a team role: use admin, user or none."),
            };
            await services.GetRequiredService<UserService>().SetTeamRoleAsync(organization.Id, parse.GetValue(email)!, parse.GetValue(team)!, teamRole, Actor.Shell());
            cli.Out.WriteLine($"{parse.GetValue(email)} is now {(teamRole is null ? "not in" : teamRole.ToString()!.ToLowerInvariant() + " in")} {DepartmentCode.Normalize(parse.GetValue(team)!)}.");
            return 0;
        }));
        return command;
    }

    static Command PasswordCommand(CliContext cli)
    {
        var email = new Argument<string>("EMAIL") { Description = "The user's email" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the new password from standard input" };
        var command = new Command("password", "Set a user's password (a reset); ends their console sessions") { email, passwordStdin };
        command.SetAction(parse => CadenceCli.WithDatabaseAsync(parse, cli, async (services, organization) =>
        {
            if (!parse.GetValue(passwordStdin))
            {
                throw new CadenceException("Give the password on standard input with --password-stdin; it is never taken as an argument.");
            }
            await services.GetRequiredService<UserService>().SetPasswordAsync(organization.Id, parse.GetValue(email)!, cli.In.ReadLine() ?? "", Actor.Shell());
            cli.Out.WriteLine($"Set a new password for {parse.GetValue(email)}; their console sessions ended.");
            return 0;
        }));
        return command;
    }

    static Command DisableCommand(CliContext cli)
    {
        var email = new Argument<string>("EMAIL") { Description = "The user's email" };
        var command = new Command("disable", "Stop a user signing in; ends their console sessions at once") { email };
        command.SetAction(parse => CadenceCli.WithDatabaseAsync(parse, cli, async (services, organization) =>
        {
            await services.GetRequiredService<UserService>().DisableAsync(organization.Id, parse.GetValue(email)!, Actor.Shell());
            cli.Out.WriteLine($"Disabled {parse.GetValue(email)}.");
            return 0;
        }));
        return command;
    }
}
