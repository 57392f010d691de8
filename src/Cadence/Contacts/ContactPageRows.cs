using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Cadence.Data;
using Cadence.Teams;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Contacts;

/// <summary>
/// The rows of one listing page, each written as a <see cref="ContactResponse"/> would be serialised (camelCase names, in
/// order, a null staff id written). PostgreSQL's through its data reader; SQLite's through the raw statement
/// (<see cref="SqliteStatement"/>), whose UTF-8 text goes to the writer without becoming strings: measured on the scale
/// bench at a million contacts (SQLite, pages of 1,000), the data reader's path listed 90,482-93,769 contacts/s.
/// </summary>
public abstract partial class ContactPageRows : IAsyncDisposable
{
    const string Select = "SELECT \"UniqueCampusId\", \"FirstName\", \"LastName\", \"MobileNumber\", \"OptedOut\", \"StaffId\", \"CustomFields\", \"CreatedAt\", \"UpdatedAt\" " +
        "FROM \"Contacts\" WHERE \"OrganizationId\" = @organization AND \"TeamId\" = @team";

    public static async Task<ContactPageRows> OpenAsync(CadenceDb db, Team team, int limit, (DateTime At, string Id)? after, DateTime? since, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder(Select);
        if (after is not null)
        {
            sql.Append(" AND (\"UpdatedAt\", \"UniqueCampusId\") > (@at, @id)");
        }
        if (since is not null)
        {
            sql.Append(" AND \"UpdatedAt\" >= @since");
        }
        sql.Append(" ORDER BY \"UpdatedAt\", \"UniqueCampusId\" LIMIT @limit");
        return db.IsPostgres
            ? await ReaderRows.OpenAsync(db.Database.GetDbConnection(), sql.ToString(), team, limit, after, since, cancellationToken)
            : new SqliteRows((SqliteConnection)db.Database.GetDbConnection(), sql.ToString(), team, limit, after, since);
    }

    /// <summary>Moves to the next row; false after the last.</summary>
    public abstract ValueTask<bool> NextAsync(CancellationToken cancellationToken);

    /// <summary>Writes the current row, the one shape for both databases; returns its last change, the first half of its cursor key.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: a listing of a million writes a million
    public DateTime Write(Utf8JsonWriter json)
    {
        var updatedAt = Time(8);
        json.WriteStartObject();
        Text(json, "uniqueCampusId"u8, 0);
        Text(json, "firstName"u8, 1);
        Text(json, "lastName"u8, 2);
        Text(json, "mobileNumber"u8, 3);
        json.WriteBoolean("optedOut"u8, Flag(4));
        if (IsNull(5))
        {
            json.WriteNull("staffId"u8);
        }
        else
        {
            Text(json, "staffId"u8, 5);
        }
        WriteFields(json, Utf8Json(6));
        json.WriteString("createdAt"u8, Time(7));
        json.WriteString("updatedAt"u8, updatedAt);
        json.WriteEndObject();
        return updatedAt;
    }

    /// <summary>A text column of the current row, as the serializer would write the string the model reads.</summary>
    protected abstract void Text(Utf8JsonWriter json, ReadOnlySpan<byte> name, int column);

    protected abstract bool Flag(int column);

    protected abstract bool IsNull(int column);

    /// <summary>A column of stored JSON, as valid UTF-8.</summary>
    protected abstract ReadOnlySpan<byte> Utf8Json(int column);

    /// <summary>A time column as the model reads it (Data's UtcConverter): marked UTC.</summary>
    protected abstract DateTime Time(int column);

    /// <summary>The current row's campus id, the second half of its cursor key: read only for a page's last row.</summary>
    public abstract string Id();

    public abstract ValueTask DisposeAsync();

    /// <summary>The stored custom fields (an object of strings), property by property, so that the encoder escapes as the serializer would.</summary>
    static void WriteFields(Utf8JsonWriter json, ReadOnlySpan<byte> stored)
    {
        json.WriteStartObject("customFields");
        var fields = new Utf8JsonReader(stored);
        fields.Read();
        while (fields.Read() && fields.TokenType == JsonTokenType.PropertyName)
        {
            var name = fields.ValueSpan; // a slice of stored: still valid after the reader moves on
            var escapedName = fields.ValueIsEscaped ? fields.GetString() : null;
            fields.Read();
            if (escapedName is not null || fields.ValueIsEscaped || fields.TokenType != JsonTokenType.String)
            {
                json.WriteString(escapedName ?? Encoding.UTF8.GetString(name), fields.GetString());
            }
            else
            {
                json.WriteString(name, fields.ValueSpan);
            }
        }
        json.WriteEndObject();
    }

    sealed class ReaderRows(DbCommand command, DbDataReader reader) : ContactPageRows
    {
        public static async Task<ContactPageRows> OpenAsync(DbConnection connection, string sql, Team team, int limit, (DateTime At, string Id)? after, DateTime? since,
            CancellationToken cancellationToken)
        {
            var command = connection.CreateCommand();
            try
            {
                return new ReaderRows(command, await Execute(command, sql, team, limit, after, since, cancellationToken));
            }
            catch
            {
                await command.DisposeAsync();
                throw;
            }
        }

        static Task<DbDataReader> Execute(DbCommand command, string sql, Team team, int limit, (DateTime At, string Id)? after, DateTime? since,
            CancellationToken cancellationToken)
        {
            command.CommandText = sql;
            Add(command, "@organization", team.OrganizationId);
            Add(command, "@team", team.Id);
            if (after is { } cursor)
            {
                Add(command, "@at", cursor.At);
                Add(command, "@id", cursor.Id);
            }
            if (since is { } from)
            {
                Add(command, "@since", from);
            }
            Add(command, "@limit", limit);
            return command.ExecuteReaderAsync(cancellationToken);
        }

        static void Add(DbCommand command, string name, object value)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        public override async ValueTask<bool> NextAsync(CancellationToken cancellationToken) => await reader.ReadAsync(cancellationToken);

        protected override void Text(Utf8JsonWriter json, ReadOnlySpan<byte> name, int column) => json.WriteString(name, reader.GetString(column));

        protected override bool Flag(int column) => reader.GetBoolean(column);

        protected override bool IsNull(int column) => reader.IsDBNull(column);

        protected override ReadOnlySpan<byte> Utf8Json(int column) => Encoding.UTF8.GetBytes(reader.GetString(column));

        public override string Id() => reader.GetString(0);

        protected override DateTime Time(int column) => DateTime.SpecifyKind(reader.GetDateTime(column), DateTimeKind.Utc);

        public override async ValueTask DisposeAsync()
        {
            await reader.DisposeAsync();
            await command.DisposeAsync();
        }
    }
}
