using Cadence.Retention;

namespace Cadence;

/// <summary>Settings from the "Cadence" configuration section, CADENCE_* variables and the CLI's global options.</summary>
public sealed class CadenceSettings
{
    public string DataDirectory { get; set; } = "data";

    /// <summary>A PostgreSQL connection string; when empty the embedded SQLite file in the data directory is used.</summary>
    public string? Database { get; set; }
    public string? Pepper { get; set; }
    public string OrganizationName { get; set; } = "Cadence";

    /// <summary>Requests per second a credential may make unless it was created with its own limit.</summary>
    public int DefaultRateLimit { get; set; } = 100;
    public int AuthFailureLimit { get; set; } = 20;
    public TimeSpan AuthFailureWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often a node re-reads changed credentials, the safety net behind LISTEN/NOTIFY.</summary>
    public TimeSpan CredentialRecheckInterval { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan LastUsedFlushInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Apply migrations at start. Always so for SQLite; for PostgreSQL `cadence migrate` is the normal way.</summary>
    public bool MigrateOnStart { get; set; }

    /// <summary>Texts a credential may trigger in a UTC day: a stolen credential cannot run up an unbounded SMS bill.</summary>
    public int DailyMessageCap { get; set; } = 10_000;

    /// <summary>"simulator" (the default) or "twilio".</summary>
    public string SmsProvider { get; set; } = "simulator";

    /// <summary>Numbers the simulated carrier fails to deliver to, so that failures can be exercised.</summary>
    public string[] SimulatorFailNumbers { get; set; } = [];
    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Replies a credential may post through the simulator's reply API in a minute (it is a test tool, not a carrier).</summary>
    public int SimulatorRepliesPerMinute { get; set; } = 60;

    /// <summary>
    /// Simulated STOPs from numbers that are no contact (each a row that outlives everything) the organization may hold;
    /// past it the simulator refuses another such number. Real carriers' STOPs are never refused.
    /// </summary>
    public int SimulatorStrangerStops { get; set; } = 1_000;

    /// <summary>Texts per second from the sending number, per node; 0 for no limit.</summary>
    public int SendRatePerNumber { get; set; }

    /// <summary>How long a text may stay "sending" before it is taken for lost in a crash ("delivery state unknown").</summary>
    public TimeSpan SendingLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a worker's claim on queued texts (none yet handed over) holds before another worker may take them.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Addresses or CIDR ranges of the load balancers whose X-Forwarded-For is believed (for throttling, last use and
    /// audit). Empty (the default): no one's is, not even loopback's.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>How long a SQLite writer waits for another's lock before the request is answered 503.</summary>
    public TimeSpan SqliteBusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a stopping server lets requests in flight and the outbox's current chunk finish (HostOptions.ShutdownTimeout).</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public RetentionSettings Retention { get; set; } = new();

    public Email.SmtpSettings Smtp { get; set; } = new();
    /// <summary>Console sign-in through the organization's OpenID Connect provider (see docs/SSO.md).</summary>
    public Console.Sso.SsoSettings Sso { get; set; } = new();

    public bool UsesPostgres => !string.IsNullOrWhiteSpace(Database);

    public string SqlitePath => Path.GetFullPath(Path.Combine(DataDirectory, "cadence.db"));

    public static CadenceSettings From(IConfiguration configuration)
    {
        var settings = configuration.GetSection("Cadence").Get<CadenceSettings>() ?? new CadenceSettings();
        // The short variables documented in the README; the "Cadence:" keys (and --data/--database) win.
        settings.Database = configuration["Cadence:Database"] ?? configuration["CADENCE_DATABASE"];
        settings.DataDirectory = configuration["Cadence:DataDirectory"] ?? configuration["CADENCE_DATA"] ?? settings.DataDirectory;
        settings.Pepper = configuration["Cadence:Pepper"] ?? configuration["CADENCE_PEPPER"];
        return settings;
    }
}
