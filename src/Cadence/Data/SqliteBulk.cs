using System.Data.Common;
using System.Globalization;

namespace Cadence.Data;

/// <summary>
/// Many rows through one prepared SQLite statement, in the text forms EF Core's SQLite provider uses (so
/// that its queries find the rows). For the measured hot paths only: imports and bulk sends.
/// </summary>
public static class SqliteBulk
{
    public static string Guid(Guid id) => id.ToString().ToUpperInvariant();

    public static string Time(DateTime at) => at.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    public static void Execute<T>(DbConnection connection, DbTransaction transaction, string sql, IReadOnlyList<T> rows, Func<T, object?[]> values,
        CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        var first = values(rows[0]);
        var parameters = new DbParameter[first.Length];
        for (var i = 0; i < first.Length; i++)
        {
            parameters[i] = command.CreateParameter();
            parameters[i].ParameterName = "$" + i;
            command.Parameters.Add(parameters[i]);
        }
        command.Prepare();
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var v = values(row);
            for (var i = 0; i < v.Length; i++)
            {
                parameters[i].Value = v[i] ?? DBNull.Value;
            }
            // Synchronous on purpose: SQLite's driver has no real asynchrony, only the cost of pretending.
            command.ExecuteNonQuery();
        }
    }
}
