using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Cadence.Data;

public sealed class SqliteCadenceDb(DbContextOptions<SqliteCadenceDb> options) : CadenceDb(options)
{
    public override bool IsPostgres => false;

    // SQLite keeps DateTime as ISO text (which sorts correctly) but forgets that it was UTC.
    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        conventions.Properties<DateTime>().HaveConversion<UtcConverter>();
        conventions.Properties<DateTime?>().HaveConversion<UtcConverter>();
    }

    sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => v.ToUniversalTime(), v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

public sealed class PostgresCadenceDb(DbContextOptions<PostgresCadenceDb> options) : CadenceDb(options)
{
    public override bool IsPostgres => true;

    protected override void OnModelCreating(ModelBuilder model)
    {
        base.OnModelCreating(model);
        // The PostgreSQL-only parts each feature keeps beside its entity (Events: the feed's order), found as the
        // entity configurations are: Data names no feature.
        foreach (var type in typeof(CadenceDb).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IPostgresModel).IsAssignableFrom(t)).OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            ((IPostgresModel)Activator.CreateInstance(type)!).ConfigurePostgres(model);
        }
    }
}

/// <summary>An entity configuration with a part PostgreSQL has and SQLite has not, applied by <see cref="PostgresCadenceDb"/>.</summary>
public interface IPostgresModel
{
    void ConfigurePostgres(ModelBuilder model);
}

// Used only by `dotnet ef migrations add`; the running app builds its options in DataExtensions.
sealed class SqliteDesignFactory : IDesignTimeDbContextFactory<SqliteCadenceDb>
{
    public SqliteCadenceDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteCadenceDb>().UseSqlite("Data Source=design.db").Options);
}

sealed class PostgresDesignFactory : IDesignTimeDbContextFactory<PostgresCadenceDb>
{
    public PostgresCadenceDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresCadenceDb>().UseNpgsql("Host=localhost").Options);
}
