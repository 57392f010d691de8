using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;

namespace Cadence.Data;

public static class DataExtensions
{
    /// <summary>Registers <see cref="CadenceDb"/> on PostgreSQL when a connection string is given, else on the SQLite file.</summary>
    public static IServiceCollection AddCadenceData(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DataOptions>().Configure(o => o.Read(configuration));
        // Which database is known only once the options are read; a scope takes only the one it uses. Pooled: a request
        // takes a context EF has reset (change tracker cleared, connection closed, settings restored) instead of making
        // one, whose options and internal services EF built anew for every request, about 8% of a lookup's server
        // samples (session 11, a million contacts on PostgreSQL). The contexts hold nothing of their own besides.
        services.AddDbContextPool<PostgresCadenceDb>((sp, o) => o.UseNpgsql(Data(sp).Database));
        services.AddDbContextPool<SqliteCadenceDb>((sp, o) =>
        {
            var data = Data(sp);
            // "Default Timeout" makes a writer wait for another process's lock instead of failing at once.
            var seconds = Math.Max(1, (int)Math.Ceiling(data.SqliteBusyTimeout.TotalSeconds));
            o.UseSqlite($"Data Source={data.SqlitePath};Default Timeout={seconds}", Sqlite)
                .AddInterceptors(new SqliteBusyTimeout(data.SqliteBusyTimeout));
        });
        services.AddScoped<CadenceDb>(sp => Data(sp).UsesPostgres ? sp.GetRequiredService<PostgresCadenceDb>() : sp.GetRequiredService<SqliteCadenceDb>());
        return services;
    }

    /// <summary>
    /// The schema, the organization and the pepper check: run by `Program.RunAsync` before the host starts, and a
    /// hosted service before the workers for a host started otherwise.
    /// </summary>
    public static IServiceCollection AddDatabaseStartup(this IServiceCollection services) =>
        services.AddSingleton<DatabaseStartup>().AddHostedService(sp => sp.GetRequiredService<DatabaseStartup>());

    /// <summary>
    /// The SQLite provider as every Cadence context uses it. A list given to Contains is one JSON parameter (json_each), as
    /// before EF Core 10, whose default of one parameter per item broke past SQLite's 32,766 (a 500 for an import undoing
    /// 33,000 remembered opt-outs) and made every chunk of an import a new statement of 8,000 parameters to plan: 3.6-3.9 s
    /// for an unchanged 100,000-row re-import, 0.80-1.11 s with one parameter. PostgreSQL's provider passes one array already.
    /// </summary>
    public static void Sqlite(SqliteDbContextOptionsBuilder sqlite) => sqlite.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter);

    static DataOptions Data(IServiceProvider services) => services.GetRequiredService<IOptions<DataOptions>>().Value;
}
