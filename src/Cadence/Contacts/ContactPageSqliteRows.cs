using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Cadence.Data;
using Cadence.Teams;
using Microsoft.Data.Sqlite;

namespace Cadence.Contacts;

public abstract partial class ContactPageRows
{
    /// <summary>SQLite's rows through the raw statement: the stored UTF-8 goes to the writer without becoming strings.</summary>
    sealed class SqliteRows : ContactPageRows
    {
        readonly SqliteStatement statement;

        public SqliteRows(SqliteConnection connection, string sql, Team team, int limit, (DateTime At, string Id)? after, DateTime? since)
        {
            statement = new SqliteStatement(connection, sql);
            try
            {
                Bind(team, limit, after, since);
            }
            catch
            {
                statement.Dispose();
                throw;
            }
        }

        void Bind(Team team, int limit, (DateTime At, string Id)? after, DateTime? since)
        {
            // Guids and times as EF Core's SQLite provider stores them (text).
            statement.Guid(statement.ParameterIndex("@organization"), team.OrganizationId).Guid(statement.ParameterIndex("@team"), team.Id)
                .Integer(statement.ParameterIndex("@limit"), limit);
            if (after is { } cursor)
            {
                statement.Text(statement.ParameterIndex("@at"), SqliteBulk.Time(cursor.At)).Text(statement.ParameterIndex("@id"), cursor.Id);
            }
            if (since is { } from)
            {
                statement.Text(statement.ParameterIndex("@since"), SqliteBulk.Time(from));
            }
        }

        public override ValueTask<bool> NextAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult(statement.Query());
        }

        protected override bool Flag(int column) => statement.ColumnLong(column) != 0;

        protected override bool IsNull(int column) => statement.IsNull(column);

        protected override ReadOnlySpan<byte> Utf8Json(int column)
        {
            var stored = statement.ColumnBytes(column);
            return System.Text.Unicode.Utf8.IsValid(stored) ? stored : Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(stored));
        }

        protected override DateTime Time(int column) => Time(statement.ColumnBytes(column));

        public override string Id() => statement.ColumnText(0)!;

        /// <summary>
        /// A text column as the serializer would write the string the model reads: bytes that are not UTF-8 (a database
        /// edited by hand) become U+FFFD there, so they do here, instead of the writer refusing the page.
        /// </summary>
        protected override void Text(Utf8JsonWriter json, ReadOnlySpan<byte> name, int column)
        {
            var text = statement.ColumnBytes(column);
            if (System.Text.Unicode.Utf8.IsValid(text))
            {
                json.WriteString(name, text);
            }
            else
            {
                json.WriteString(name, Encoding.UTF8.GetString(text));
            }
        }

        /// <summary>EF Core's SQLite form of a time, yyyy-MM-dd HH:mm:ss.FFFFFFF (no fraction when it is zero), as UTC.</summary>
        static DateTime Time(ReadOnlySpan<byte> text)
        {
            if (text.Length >= 19 && text[4] == '-' && text[7] == '-' && text[10] == ' ' && text[13] == ':' && text[16] == ':'
                && Number(text[..4], out var year) && Number(text[5..7], out var month) && Number(text[8..10], out var day)
                && Number(text[11..13], out var hour) && Number(text[14..16], out var minute) && Number(text[17..19], out var second)
                && Ticks(text[19..]) is { } ticks)
            {
                return new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(ticks);
            }
            // Any other form the provider might have written: its own parser.
            return DateTime.SpecifyKind(DateTime.Parse(Encoding.UTF8.GetString(text), CultureInfo.InvariantCulture), DateTimeKind.Utc);
        }

        /// <summary>The fraction of a second (nothing, or a point and 1-7 digits) in ticks; null for anything else.</summary>
        static long? Ticks(ReadOnlySpan<byte> fraction)
        {
            if (fraction.IsEmpty)
            {
                return 0;
            }
            if (fraction[0] != '.' || fraction.Length is < 2 or > 8 || !Number(fraction[1..], out var digits))
            {
                return null;
            }
            long ticks = digits;
            for (var i = fraction.Length - 1; i < 7; i++)
            {
                ticks *= 10;
            }
            return ticks;
        }

        static bool Number(ReadOnlySpan<byte> digits, out int value) => Utf8Parser.TryParse(digits, out value, out var used) && used == digits.Length && digits[0] != '-' && digits[0] != '+';

        public override ValueTask DisposeAsync()
        {
            statement.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
