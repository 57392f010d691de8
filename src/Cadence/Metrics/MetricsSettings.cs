namespace Cadence.Metrics;

/// <summary>The "Cadence:Metrics" section.</summary>
public sealed class MetricsSettings
{
    /// <summary>Off turns off the instruments' export and the /metrics endpoint.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Addresses or CIDR ranges whose connections may read /metrics (the connection's own address, never one from
    /// X-Forwarded-For). Empty (the default): loopback only. On a separate metrics listener it applies only when set.
    /// </summary>
    public string[] AllowFrom { get; set; } = [];

    /// <summary>A separate listener for /metrics only (`--metrics-urls http://10.0.0.5:9464`); the main one then 404s it.</summary>
    public string? Urls { get; set; }
}
