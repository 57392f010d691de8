using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Cadence.Data;

/// <summary>
/// One prepared SQLite statement run row by row on the connection's own handle (so inside its open transaction),
/// its values bound by position (<c>?1</c>, <c>?2</c>, …; a named parameter's position is <see cref="ParameterIndex"/>) as
/// UTF-8 through SQLitePCL's raw API. Measured on a fresh
/// server's first 100,000-row CSV import (quiet 2-core machine): Microsoft.Data.Sqlite's ExecuteNonQuery per row
/// (a data reader, its statement iterator and a parameter binder each time, values boxed) took about 0.76 s of the
/// request thread's 3.3 s, of which SQLite itself was about 0.5 s. The one way to run a statement per row on SQLite:
/// the import's own writes and lookups and the SQLite contact listing use it directly, every other bulk writer through
/// <see cref="SqliteBulk.Execute"/>.
/// </summary>
public sealed class SqliteStatement : IDisposable
{
    readonly sqlite3 database;
    readonly sqlite3_stmt statement;
    // Reused for every value: SQLitePCL binds spans with SQLITE_TRANSIENT, so SQLite copies the bytes at once.
    // It grows to the largest value bound, which the import's limits bound (a contact's fields).
    byte[] scratch = new byte[512];

    public SqliteStatement(SqliteConnection connection, string sql)
    {
        database = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var rc = raw.sqlite3_prepare_v2(database, sql, out statement);
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, database);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: see ContactImporter
    public SqliteStatement Text(int index, string? value)
    {
        if (value is null)
        {
            return Check(raw.sqlite3_bind_null(statement, index));
        }
        var length = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (length > scratch.Length)
        {
            scratch = new byte[Math.Max(length, scratch.Length * 2)];
        }
        var written = Encoding.UTF8.GetBytes(value, scratch);
        return Text(index, scratch.AsSpan(0, written));
    }

    public SqliteStatement Text(int index, ReadOnlySpan<byte> utf8) =>
        // An empty span pins to a null pointer, which SQLite would bind as NULL rather than ''.
        Check(utf8.IsEmpty ? raw.sqlite3_bind_text(statement, index, "") : raw.sqlite3_bind_text(statement, index, utf8));

    public SqliteStatement Integer(int index, long value)
    {
        return Check(raw.sqlite3_bind_int64(statement, index, value));
    }

    public SqliteStatement Null(int index) => Check(raw.sqlite3_bind_null(statement, index));

    /// <summary>How many parameters the statement has (a name used twice counts once).</summary>
    public int ParameterCount => raw.sqlite3_bind_parameter_count(statement);

    /// <summary>The position of a named parameter such as <c>$3</c>; 0 when the statement has no such name.</summary>
    public int ParameterIndex(string name) => raw.sqlite3_bind_parameter_index(statement, name);

    /// <summary>A Guid in the form EF Core's SQLite provider stores it: upper-case text with hyphens.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: see ContactImporter
    public SqliteStatement Guid(int index, Guid id)
    {
        // By hand: Guid.TryFormat into UTF-8 runs unoptimised framework code on a fresh server (about 0.1 s of a
        // first 100,000-row import), and its lower case would need a second pass.
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        Span<byte> text = stackalloc byte[36];
        var at = 0;
        for (var i = 0; i < 16; i++)
        {
            if (i is 4 or 6 or 8 or 10)
            {
                text[at++] = (byte)'-';
            }
            text[at++] = Hex[bytes[i] >> 4];
            text[at++] = Hex[bytes[i] & 0xF];
        }
        return Check(raw.sqlite3_bind_text(statement, index, text));
    }

    static ReadOnlySpan<byte> Hex => "0123456789ABCDEF"u8;

    /// <summary>Runs the statement with the values bound, then readies it for the next row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: see ContactImporter
    public void Run()
    {
        var rc = raw.sqlite3_step(statement);
        if (rc != raw.SQLITE_DONE)
        {
            throw Failure(rc);
        }
        raw.sqlite3_reset(statement);
    }

    /// <summary>
    /// Runs a query with the values bound up to its next result row (the first, after a reset): true with the row's columns
    /// to read, false when there is none. Either way <see cref="Reset"/> readies it for the next values.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: see ContactImporter
    public bool Query()
    {
        var rc = raw.sqlite3_step(statement);
        return rc == raw.SQLITE_ROW || (rc == raw.SQLITE_DONE ? false : throw Failure(rc));
    }

    public void Reset() => raw.sqlite3_reset(statement);

    /// <summary>A column of the current row (numbered from 0) as its UTF-8 bytes, valid until the next step or reset.</summary>
    public ReadOnlySpan<byte> ColumnBytes(int column) => raw.sqlite3_column_blob(statement, column);

    public string? ColumnText(int column) =>
        raw.sqlite3_column_type(statement, column) == raw.SQLITE_NULL ? null : Encoding.UTF8.GetString(raw.sqlite3_column_blob(statement, column));

    public long ColumnLong(int column) => raw.sqlite3_column_int64(statement, column);

    public bool IsNull(int column) => raw.sqlite3_column_type(statement, column) == raw.SQLITE_NULL;

    /// <summary>The message is read before the reset, which would replace it.</summary>
    SqliteException Failure(int rc)
    {
        var error = new SqliteException($"SQLite Error {rc}: '{raw.sqlite3_errmsg(database).utf8_to_string()}'.", rc, raw.sqlite3_extended_errcode(database));
        raw.sqlite3_reset(statement);
        return error;
    }

    /// <summary>A failed bind would leave the previous row's value bound (bindings outlive a reset): never go on.</summary>
    SqliteStatement Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, database);
        }
        return this;
    }

    public void Dispose() => statement.Dispose();
}
