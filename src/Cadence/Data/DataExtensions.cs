using Microsoft.EntityFrameworkCore;

namespace Cadence.Data;

public static class DataExtensions
{
    /// <summary>Registers <see cref="CadenceDb"/> on PostgreSQL when a connection string is given, else on the SQLite file.</summary>
    public static IServiceCollection AddCadenceData(this IServiceCollection services, CadenceSettings settings)
    {
        if (settings.UsesPostgres)
        {
            services.AddDbContext<PostgresCadenceDb>(o => o.UseNpgsql(settings.Database));
            services.AddScoped<CadenceDb>(sp => sp.GetRequiredService<PostgresCadenceDb>());
        }
        else
        {
            // "Default Timeout" makes a writer wait for another process's lock instead of failing at once.
            var seconds = Math.Max(1, (int)Math.Ceiling(settings.SqliteBusyTimeout.TotalSeconds));
            services.AddDbContext<SqliteCadenceDb>(o => o.UseSqlite($"Data Source={settings.SqlitePath};Default Timeout={seconds}")
                .AddInterceptors(new SqliteBusyTimeout(settings.SqliteBusyTimeout)));
            services.AddScoped<CadenceDb>(sp => sp.GetRequiredService<SqliteCadenceDb>());
        }
        return services;
    }
}
