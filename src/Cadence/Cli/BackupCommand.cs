using System.CommandLine;
using Cadence.Credentials;
using Cadence.Data;

namespace Cadence.Cli;

/// <summary>`cadence backup --to FILE` and `cadence restore FILE`, for the embedded database.</summary>
public static class BackupCommand
{
    public static IEnumerable<Command> Create(CliContext cli)
    {
        var to = new Option<string>("--to") { Description = "The backup file to write (it must not exist yet)", Required = true };
        var backup = new Command("backup", "Copy the embedded database while the server runs (a consistent, checked copy)") { to };
        backup.SetAction(parse => Run(parse, cli, settings =>
        {
            var target = parse.GetValue(to)!;
            var result = SqliteBackup.Backup(settings.Data.SqlitePath, target);
            cli.Out.WriteLine($"Backed up {settings.Data.SqlitePath} to {target}: {result.Bytes / 1024.0 / 1024.0:N1} MB in {result.Took.TotalSeconds:N1} s, integrity checked.");
            cli.Out.WriteLine(PepperWarning(settings));
            return Task.FromResult(0);
        }, postgres: database => $"pg_dump --format=custom --file={Quote(parse.GetValue(to)!)} {PgArgs(database)}"));

        var file = new Argument<string>("FILE") { Description = "A file made by `cadence backup`" };
        var restore = new Command("restore", "Replace the embedded database with a backup (the server must be stopped)") { file };
        restore.SetAction(parse => Run(parse, cli, async settings =>
        {
            var kept = await SqliteBackup.RestoreAsync(settings.Data, SecretHasher.From(settings.Credentials.Pepper, settings.Data.DataDirectory), parse.GetValue(file)!, TimeProvider.System);
            cli.Out.WriteLine($"Restored {parse.GetValue(file)} to {settings.Data.SqlitePath}." + (kept is null ? "" : $" The database it replaced is kept at {kept}."));
            return 0;
        }, postgres: database => $"pg_restore --clean --if-exists --no-owner {PgArgs(database)} {Quote(parse.GetValue(file)!)}"));
        return [backup, restore];
    }

    static async Task<int> Run(ParseResult parse, CliContext cli, Func<(DataOptions Data, CredentialOptions Credentials), Task<int>> sqlite, Func<string, string> postgres)
    {
        var configuration = CadenceCli.Configuration(parse, cli);
        var settings = (Data: new DataOptions().Read(configuration), Credentials: new CredentialOptions().Read(configuration));
        if (settings.Data.UsesPostgres)
        {
            // PostgreSQL has its own tools for this; nothing was copied, so the exit code says so.
            cli.Error.WriteLine("error: on PostgreSQL, use PostgreSQL's own tools. The command for this database:");
            cli.Error.WriteLine("  " + postgres(settings.Data.Database!));
            return 1;
        }
        try
        {
            return await sqlite(settings);
        }
        catch (Exception e) when (e is CadenceException or IOException or UnauthorizedAccessException)
        {
            return cli.Fail(e.Message);
        }
    }

    static string PepperWarning((DataOptions Data, CredentialOptions Credentials) settings) => string.IsNullOrEmpty(settings.Credentials.Pepper)
        ? $"The backup does not hold the pepper, {Path.GetFullPath(Path.Combine(settings.Data.DataDirectory, "pepper.key"))}: without it no credential in the backup verifies. Keep a copy of that file apart from the backup."
        : "The backup does not hold the pepper (CADENCE_PEPPER): without it no credential in the backup verifies. Keep it apart from the backup.";

    /// <summary>The connection string's parts as libpq arguments; the password goes through PGPASSWORD, never the command line.</summary>
    static string PgArgs(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var args = $"--host={Quote(builder.Host ?? "localhost")} --port={builder.Port} --username={Quote(builder.Username ?? "")} --dbname={Quote(builder.Database ?? "")}";
        return string.IsNullOrEmpty(builder.Password) ? args : "PGPASSWORD=… " + args;
    }

    static string Quote(string text) => text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or ',') ? text : "'" + text.Replace("'", "'\\''") + "'";
}
