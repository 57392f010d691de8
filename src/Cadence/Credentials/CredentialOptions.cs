namespace Cadence.Credentials;

/// <summary>The pepper and how often a node looks at credentials again: keys of the "Cadence" section.</summary>
public sealed class CredentialOptions
{
    /// <summary>CADENCE_PEPPER or Cadence:Pepper; when empty, the data directory's pepper.key.</summary>
    public string? Pepper { get; set; }

    /// <summary>How often a node re-reads changed credentials, the safety net behind LISTEN/NOTIFY.</summary>
    public TimeSpan CredentialRecheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan LastUsedFlushInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The "Cadence" section, then CADENCE_PEPPER; Cadence:Pepper wins.</summary>
    public CredentialOptions Read(IConfiguration configuration)
    {
        configuration.GetSection("Cadence").Bind(this);
        Pepper = configuration["Cadence:Pepper"] ?? configuration["CADENCE_PEPPER"];
        return this;
    }
}
