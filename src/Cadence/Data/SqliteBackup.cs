using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Data;

/// <summary>
/// Online backup and restore of the embedded database. The backup is SQLite's backup API (one step, so one
/// consistent snapshot while the server goes on writing), into a temporary file that is checked and then
/// renamed: a file at the chosen name is always a whole, checked backup.
/// </summary>
public static class SqliteBackup
{
    public sealed record Result(long Bytes, TimeSpan Took);

    public static Result Backup(string databasePath, string target)
    {
        if (!File.Exists(databasePath))
        {
            throw new CadenceException($"There is no database at {databasePath}.");
        }
        if (File.Exists(target))
        {
            throw new CadenceException($"{target} already exists; choose a new name (a backup never overwrites one).");
        }
        var clock = Stopwatch.StartNew();
        var directory = Path.GetDirectoryName(Path.GetFullPath(target))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.partial");
        try
        {
            DataDirectory.CreateDatabaseFile(temporary);
            using (var source = Open(databasePath, SqliteOpenMode.ReadOnly))
            using (var copy = Open(temporary, SqliteOpenMode.ReadWrite))
            {
                source.BackupDatabase(copy);
                // One self-contained file: no -wal beside it.
                Execute(copy, "PRAGMA journal_mode=DELETE;");
                CheckIntegrity(copy, "the copy");
            }
            SqliteConnection.ClearAllPools();
            File.Move(temporary, target, overwrite: false);
            return new Result(new FileInfo(target).Length, clock.Elapsed);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var leftover in new[] { temporary, temporary + "-journal", temporary + "-wal", temporary + "-shm" })
            {
                File.Delete(leftover);
            }
        }
    }

    /// <summary>
    /// Puts a backup in place of the database after checking it (integrity, a schema this build knows, the same
    /// pepper), keeping the replaced database beside it. Refused while a server holds the data directory.
    /// </summary>
    public static async Task<string?> RestoreAsync(DataOptions settings, IPepperCheck pepper, string backup, TimeProvider time)
    {
        if (!File.Exists(backup))
        {
            throw new CadenceException($"There is no file at {backup}.");
        }
        using var serverLock = ServerLock.TryTake(settings.DataDirectory)
            ?? throw new CadenceException($"A Cadence server is running on {Path.GetFullPath(settings.DataDirectory)}. Stop it, then restore.");
        await CheckAsync(backup, pepper);

        var database = settings.SqlitePath;
        string? kept = null;
        if (File.Exists(database))
        {
            // Fold the old database's -wal into it first, so that the file kept is whole.
            using (var old = Open(database, SqliteOpenMode.ReadWrite))
            {
                Execute(old, "PRAGMA wal_checkpoint(TRUNCATE);");
            }
            SqliteConnection.ClearAllPools();
            kept = $"{database}.replaced-{time.GetUtcNow():yyyyMMddTHHmmssZ}";
            File.Move(database, kept);
            foreach (var suffix in new[] { "-wal", "-shm" })
            {
                File.Delete(database + suffix);
            }
        }
        var temporary = database + ".restoring";
        File.Delete(temporary);
        DataDirectory.CreateDatabaseFile(temporary);
        File.Copy(backup, temporary, overwrite: true);
        File.Move(temporary, database);
        return kept;
    }

    static async Task CheckAsync(string backup, IPepperCheck pepper)
    {
        try
        {
            using (var connection = Open(backup, SqliteOpenMode.ReadOnly))
            {
                CheckIntegrity(connection, backup);
            }
            await using var db = new SqliteCadenceDb(new DbContextOptionsBuilder<SqliteCadenceDb>().UseSqlite(Connection(backup, SqliteOpenMode.ReadOnly), DataExtensions.Sqlite).Options);
            var known = db.Database.GetMigrations().ToHashSet();
            var applied = (await db.Database.GetAppliedMigrationsAsync()).ToList();
            if (applied.Count == 0)
            {
                throw new CadenceException($"{backup} is not a Cadence database.");
            }
            if (applied.FirstOrDefault(m => !known.Contains(m)) is { } newer)
            {
                throw new CadenceException($"{backup} is from a newer Cadence (schema step {newer}); restore it with that version.");
            }
            var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync()
                ?? throw new CadenceException($"{backup} holds no organization.");
            if (organization.PepperCheck != pepper.PepperCheck())
            {
                throw new CadenceException($"{backup} was made with another pepper: no credential in it would verify. " +
                    "Restore the pepper it was made with (CADENCE_PEPPER or DATA/pepper.key) first.");
            }
        }
        catch (SqliteException e)
        {
            throw new CadenceException($"{backup} is not a readable SQLite database: {e.Message}");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
        }
    }

    static void CheckIntegrity(SqliteConnection connection, string what)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        var answer = command.ExecuteScalar() as string;
        if (answer != "ok")
        {
            throw new CadenceException($"The integrity check of {what} failed: {answer}");
        }
    }

    static string Connection(string path, SqliteOpenMode mode) =>
        new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ConnectionString;

    static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(Connection(path, mode));
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout = 30000;");
        return connection;
    }

    static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
