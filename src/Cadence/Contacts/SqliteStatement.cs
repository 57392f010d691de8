using System.Data.Common;

namespace Cadence.Contacts;

/// <summary>One prepared SQLite statement executed row by row, for a writer that gets its rows one at a time.</summary>
public sealed class SqliteStatement : IDisposable
{
    readonly DbCommand command;
    readonly DbParameter[] parameters;

    public SqliteStatement(DbConnection connection, DbTransaction transaction, string sql, int parameterCount)
    {
        command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        parameters = new DbParameter[parameterCount];
        for (var i = 0; i < parameterCount; i++)
        {
            parameters[i] = command.CreateParameter();
            parameters[i].ParameterName = "$" + i;
            command.Parameters.Add(parameters[i]);
        }
        command.Prepare();
    }

    public void Execute(params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            parameters[i].Value = values[i] ?? DBNull.Value;
        }
        // Synchronous on purpose: SQLite's driver has no real asynchrony, only the cost of pretending.
        command.ExecuteNonQuery();
    }

    public void Dispose() => command.Dispose();
}
