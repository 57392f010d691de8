using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Cadence.Tests.Infrastructure;

/// <summary>Every value of every table, read with plain ADO.NET rather than through the app's model.</summary>
public static class RawRows
{
    static async Task<DbConnection> OpenAsync(TestDatabase database)
    {
        DbConnection connection = database.ConnectionString is null
            ? new SqliteConnection($"Data Source={Path.Combine(database.DataDirectory, "cadence.db")};Pooling=false")
            : new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Runs one statement with named parameters (<c>@name</c>), e.g. to move a stored time into the past.</summary>
    public static async Task<int> ExecuteAsync(TestDatabase database, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync(database);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return await command.ExecuteNonQueryAsync();
    }

    public static async Task<string> DumpAsync(TestDatabase database)
    {
        await using var connection = await OpenAsync(database);
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = database.ConnectionString is null
                ? "SELECT name FROM sqlite_master WHERE type = 'table'"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }
        Assert.Contains("Credentials", tables);
        var dump = new StringBuilder();
        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var value = reader.GetValue(i);
                    dump.Append(value is byte[] bytes ? Convert.ToHexString(bytes) + " " + Encoding.UTF8.GetString(bytes) : value?.ToString()).Append('|');
                }
                dump.AppendLine();
            }
        }
        return dump.ToString();
    }

    /// <summary>The SQLite files' bytes (database and write-ahead log), as text, for a search through everything on disk.</summary>
    public static string SqliteFiles(TestDatabase database) =>
        string.Concat(Directory.GetFiles(database.DataDirectory, "cadence.db*")
            .Select(f => Encoding.Latin1.GetString(File.ReadAllBytes(f))));
}
