namespace Cadence.Webhooks;

/// <summary>The "Cadence:Webhooks" configuration section.</summary>
public sealed class WebhookSettings
{
    /// <summary>Lets endpoints on private, loopback and link-local addresses be called (a receiver on the same network).</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>How long a receiver has to answer before the try counts as failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often an idle node looks for new events and due deliveries.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a worker holds claimed deliveries; after a crash another worker retries them once it ends.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Requests in flight at once per node.</summary>
    public int Concurrency { get; set; } = 32;

    /// <summary>An endpoint whose every try has failed for this long is disabled.</summary>
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(3);

    public void Validate()
    {
        if (Timeout <= TimeSpan.Zero || ClaimLease <= Timeout || Concurrency is < 1 or > 256)
        {
            throw new CadenceException("Cadence:Webhooks needs a positive Timeout, a ClaimLease longer than it, and a Concurrency of 1 to 256.");
        }
    }
}
