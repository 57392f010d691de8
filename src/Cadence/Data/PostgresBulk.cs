using Npgsql;
using NpgsqlTypes;

namespace Cadence.Data;

/// <summary>What the PostgreSQL bulk writers (binary COPY) share, beside <see cref="SqliteBulk"/> for SQLite.</summary>
public static class PostgresBulk
{
    /// <summary>A column that may be null: the value, or SQL NULL.</summary>
    public static Task WriteOrNullAsync<T>(this NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken cancellationToken) where T : struct =>
        value is { } present ? writer.WriteAsync(present, type, cancellationToken) : writer.WriteNullAsync(cancellationToken);

    /// <summary>A text column that may be null: the text, or SQL NULL.</summary>
    public static Task WriteOrNullAsync(this NpgsqlBinaryImporter writer, string? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is not null ? writer.WriteAsync(value, type, cancellationToken) : writer.WriteNullAsync(cancellationToken);
}
