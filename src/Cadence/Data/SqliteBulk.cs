using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Cadence.Data;

/// <summary>
/// Many rows through one prepared SQLite statement (a <see cref="SqliteStatement"/>), in the text forms EF Core's
/// SQLite provider uses (so that its queries find the rows). For the measured hot paths only: imports and bulk sends.
/// </summary>
public static class SqliteBulk
{
    public static string Guid(Guid id) => id.ToString().ToUpperInvariant();

    public static string Time(DateTime at) => at.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    /// <summary>
    /// Runs <paramref name="sql"/> once per row, inside <paramref name="transaction"/>, the row's values bound to the
    /// parameters <c>$0</c>, <c>$1</c>, … in order (a name may stand twice). Values are text, integers, booleans (as 0
    /// and 1) or null; Guids and times go in as <see cref="Guid(System.Guid)"/> and <see cref="Time"/> make them.
    /// </summary>
    public static void Execute<T>(DbConnection connection, DbTransaction transaction, string sql, IReadOnlyList<T> rows, Func<T, object?[]> values,
        CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }
        // The statement runs on the connection's handle, so in whatever transaction is open on it: make sure it is the caller's.
        if (transaction.Connection != connection)
        {
            throw new InvalidOperationException("The transaction is not the connection's.");
        }
        using var statement = new SqliteStatement((SqliteConnection)connection, sql);
        var positions = Positions(statement, values(rows[0]).Length);
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var v = values(row);
            for (var i = 0; i < v.Length; i++)
            {
                Bind(statement, positions[i], v[i]);
            }
            statement.Run();
        }
    }

    /// <summary>Where each of $0…$n stands in the statement; a mismatch is a mistake in the calling code.</summary>
    static int[] Positions(SqliteStatement statement, int count)
    {
        if (statement.ParameterCount != count)
        {
            throw new InvalidOperationException($"The statement has {statement.ParameterCount} parameters, the rows {count} values.");
        }
        var positions = new int[count];
        for (var i = 0; i < count; i++)
        {
            positions[i] = statement.ParameterIndex("$" + i) is > 0 and var at ? at : throw new InvalidOperationException($"The statement has no parameter ${i}.");
        }
        return positions;
    }

    static void Bind(SqliteStatement statement, int position, object? value)
    {
        _ = value switch
        {
            null => statement.Null(position),
            string text => statement.Text(position, text),
            int number => statement.Integer(position, number),
            long number => statement.Integer(position, number),
            bool flag => statement.Integer(position, flag ? 1 : 0),
            _ => throw new InvalidOperationException($"SqliteBulk binds text, integers and booleans, not {value.GetType().Name}."),
        };
    }
}
