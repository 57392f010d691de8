namespace Cadence.Data;

/// <summary>
/// Where the data is: the data directory, the database, and what the first start creates. Keys of the "Cadence"
/// section (Cadence:Database, Cadence:DataDirectory, …), or the short variables the README documents.
/// </summary>
public sealed class DataOptions
{
    public string DataDirectory { get; set; } = "data";

    /// <summary>A PostgreSQL connection string; when empty the embedded SQLite file in the data directory is used.</summary>
    public string? Database { get; set; }

    /// <summary>Apply migrations at start. Always so for SQLite; for PostgreSQL `cadence migrate` is the normal way.</summary>
    public bool MigrateOnStart { get; set; }

    /// <summary>The organization's name when the first start creates it.</summary>
    public string OrganizationName { get; set; } = "Cadence";

    /// <summary>How long a SQLite writer waits for another's lock before the request is answered 503.</summary>
    public TimeSpan SqliteBusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool UsesPostgres => !string.IsNullOrWhiteSpace(Database);

    public string SqlitePath => Path.GetFullPath(Path.Combine(DataDirectory, "cadence.db"));

    /// <summary>The "Cadence" section, then CADENCE_DATABASE and CADENCE_DATA; the "Cadence:" keys (and --data/--database) win.</summary>
    public DataOptions Read(IConfiguration configuration)
    {
        configuration.GetSection("Cadence").Bind(this);
        Database = configuration["Cadence:Database"] ?? configuration["CADENCE_DATABASE"];
        DataDirectory = configuration["Cadence:DataDirectory"] ?? configuration["CADENCE_DATA"] ?? DataDirectory;
        return this;
    }
}
