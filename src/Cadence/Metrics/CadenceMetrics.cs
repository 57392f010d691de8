using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Cadence.Metrics;

/// <summary>
/// Cadence's own instruments, on the Meter "Cadence". Static so that any code can count without a service in
/// hand (the webhook sender, the throttles); a counter with no listener costs a field read. The outbox gauges
/// need the database and live with the outbox (Messages' OutboxGauges).
/// </summary>
public static class CadenceMetrics
{
    public const string MeterName = "Cadence";

    static readonly Meter Meter = new(MeterName);

    static readonly Counter<long> Texts = Meter.CreateCounter<long>("cadence.texts", "{text}",
        "Texts entering a status: queued when accepted, then what the provider or its callback said (sent, delivered, undelivered, failed, retry).");
    static readonly Counter<long> ImportRows = Meter.CreateCounter<long>("cadence.import.rows", "{row}",
        "Rows of committed contact imports, by result (created, updated, unchanged, failed).");
    static readonly Counter<long> AuthFailures = Meter.CreateCounter<long>("cadence.auth.failures", "{request}",
        "Refused authentications, by reason (the problem code of the answer, or console_password for a wrong console sign-in).");
    static readonly Counter<long> LoginThrottled = Meter.CreateCounter<long>("cadence.login.throttled", "{request}",
        "Console sign-ins refused without checking the password because the email or the address must wait.");
    static readonly Counter<long> WebhookDeliveries = Meter.CreateCounter<long>("cadence.webhook.deliveries", "{delivery}",
        "Webhook delivery attempts, by result.");

    public static void Text(string status, long count = 1)
    {
        if (count > 0)
        {
            Texts.Add(count, new KeyValuePair<string, object?>("status", status));
        }
    }

    public static void Import(int created, int updated, int unchanged, int failed)
    {
        Add(ImportRows, created, "result", "created");
        Add(ImportRows, updated, "result", "updated");
        Add(ImportRows, unchanged, "result", "unchanged");
        Add(ImportRows, failed, "result", "failed");
    }

    public static void AuthFailure(string reason) => AuthFailures.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public static void LoginThrottle() => LoginThrottled.Add(1);

    /// <summary>One webhook delivery attempt and how it ended (for example delivered, failed, retrying, gave_up).</summary>
    public static void WebhookDelivery(string result) => WebhookDeliveries.Add(1, new KeyValuePair<string, object?>("result", result));

    static void Add(Counter<long> counter, long count, string tag, string value)
    {
        // Zero-count series would still be created, one per result; only results that happened appear.
        if (count > 0)
        {
            counter.Add(count, new TagList { { tag, value } });
        }
    }
}
