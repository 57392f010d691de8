namespace Cadence.Messages;

/// <summary>Sending texts: the daily cap, the provider, the outbox and the simulator. Keys of the "Cadence" section.</summary>
public sealed class MessagesOptions
{
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
}
