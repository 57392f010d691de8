using Cadence.Data;
using Microsoft.Data.Sqlite;

namespace Cadence.Tests.Data;

/// <summary>SqliteBulk.Execute binds each row's values to $0…$n through one SqliteStatement, inside the caller's transaction.</summary>
public sealed class SqliteBulkTests : IDisposable
{
    readonly string file = Path.Combine(Path.GetTempPath(), "cadence-tests", Guid.NewGuid().ToString("N") + ".db");
    readonly SqliteConnection connection;

    public SqliteBulkTests()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        connection = new SqliteConnection($"Data Source={file};Pooling=false");
        connection.Open();
        using var create = connection.CreateCommand();
        create.CommandText = "CREATE TABLE t (a TEXT, b INTEGER, c TEXT, d TEXT NOT NULL, e INTEGER)";
        create.ExecuteNonQuery();
    }

    public void Dispose()
    {
        connection.Dispose();
        File.Delete(file);
    }

    void Insert(SqliteTransaction transaction, IReadOnlyList<object?[]> rows) =>
        SqliteBulk.Execute(connection, transaction, "INSERT INTO t (a, b, c, d, e) VALUES ($0, $1, $2, $3, $1)", rows, r => r, TestContext.Current.CancellationToken);

    List<string> Rows(SqliteTransaction? transaction = null)
    {
        using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT quote(a) || ',' || quote(b) || ',' || quote(c) || ',' || quote(d) || ',' || quote(e) FROM t ORDER BY rowid";
        using var reader = read.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }
        return rows;
    }

    [Fact]
    public void EachRowsValuesGoToTheirParametersANameUsedTwiceIncluded()
    {
        using (var transaction = connection.BeginTransaction())
        {
            Insert(transaction, [["é☃", 7, null, ""], ["x", 9_000_000_000L, "y", "z"], [null, true, "", "w"]]);
            transaction.Commit();
        }

        // Text as UTF-8, integers and booleans as integers, null as NULL and the empty text as '' (not NULL).
        Assert.Equal(["'é☃',7,NULL,'',7", "'x',9000000000,'y','z',9000000000", "NULL,1,'','w',1"], Rows());
    }

    [Fact]
    public void RowsAreWrittenInTheCallersTransaction()
    {
        using (var transaction = connection.BeginTransaction())
        {
            Insert(transaction, [["a", 1, "c", "d"]]);
            transaction.Rollback();
        }

        Assert.Empty(Rows());
    }

    [Fact]
    public void AFailedRowThrowsTheSqliteErrorAndTheStatementIsLeftUsable()
    {
        using var transaction = connection.BeginTransaction();

        var error = Assert.Throws<SqliteException>(() => Insert(transaction, [["a", 1, "c", null]]));
        Insert(transaction, [["a", 1, "c", "d"]]);

        Assert.Equal(19, error.SqliteErrorCode);
        Assert.Contains("NOT NULL constraint failed", error.Message);
        Assert.Single(Rows(transaction));
    }

    [Fact]
    public void AValueOfAnotherTypeOrCountIsAProgrammingError()
    {
        using var transaction = connection.BeginTransaction();

        Assert.Throws<InvalidOperationException>(() => Insert(transaction, [["a", 1, "c", Guid.NewGuid()]]));
        Assert.Throws<InvalidOperationException>(() => Insert(transaction, [["a", 1, "c"]]));
    }
}
