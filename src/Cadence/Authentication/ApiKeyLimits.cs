namespace Cadence.Authentication;

/// <summary>What a caller of the client API may do before it is slowed: keys of the "Cadence" section.</summary>
public sealed class ApiKeyLimits
{
    /// <summary>Requests per second a credential may make unless it was created with its own limit.</summary>
    public int DefaultRateLimit { get; set; } = 100;

    /// <summary>Failed attempts an address may make in <see cref="AuthFailureWindow"/> before it is throttled.</summary>
    public int AuthFailureLimit { get; set; } = 20;

    public TimeSpan AuthFailureWindow { get; set; } = TimeSpan.FromMinutes(1);
}
