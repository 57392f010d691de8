using System.Net.Http.Headers;
using System.Text;
using StandardWebhooks;

namespace Cadence.Webhooks;

/// <summary>What became of one try: Success for any 2xx; otherwise the status code or the error, for the log.</summary>
public sealed record AttemptOutcome(bool Success, int? StatusCode, string? Text, bool Refused = false);

/// <summary>
/// POSTs a payload signed as Standard Webhooks specifies, through an HttpClient that follows no redirects, keeps no
/// cookies, sends no credentials, uses no proxy (a proxy would connect for us, past the address check) and reads at
/// most <see cref="KeptResponseLength"/> characters of the answer.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    public const int KeptResponseLength = 4096;
    readonly HttpClient client;
    readonly TimeSpan timeout;

    public WebhookSender(WebhookSettings settings)
    {
        timeout = settings.Timeout;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            Credentials = null,
            PreAuthenticate = false,
            ConnectCallback = NetworkGuard.Connect(settings.AllowPrivateNetworks),
            ConnectTimeout = settings.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            MaxConnectionsPerServer = settings.Concurrency,
            MaxResponseHeadersLength = 16,
        };
        client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Cadence-Webhooks/1");
    }

    /// <summary>The `webhook-signature` value: one "v1,…" per secret, space-separated, as the specification allows during a roll.</summary>
    public static string Sign(IEnumerable<string> secrets, string webhookId, DateTimeOffset timestamp, string payload) =>
        string.Join(' ', secrets.Select(s => new StandardWebhook(s).Sign(webhookId, timestamp, payload)));

    public async Task<AttemptOutcome> SendAsync(string url, string webhookId, string payload, IEnumerable<string> secrets, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        request.Content = new StringContent(payload, Encoding.UTF8, "application/json");
        request.Headers.Add("webhook-id", webhookId);
        request.Headers.Add("webhook-timestamp", now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", Sign(secrets, webhookId, now, payload));
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timer.Token);
            var text = await ReadCappedAsync(response.Content, timer.Token);
            return new AttemptOutcome(response.IsSuccessStatusCode, (int)response.StatusCode, text);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptOutcome(false, null, $"no answer within {timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException e) when (Refusal(e) is { } refused)
        {
            return new AttemptOutcome(false, null, "refused: " + refused.Message, Refused: true);
        }
        catch (HttpRequestException e)
        {
            return new AttemptOutcome(false, null, Trim("network error: " + (e.InnerException?.Message ?? e.Message)));
        }
    }

    static WebhookRefusedException? Refusal(Exception e) =>
        e as WebhookRefusedException ?? (e.InnerException is { } inner ? Refusal(inner) : null);

    /// <summary>At most the first few KiB of the answer, kept for the delivery log; the rest is never read.</summary>
    static async Task<string> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[KeptResponseLength];
        var read = 0;
        while (read < buffer.Length && await stream.ReadAsync(buffer.AsMemory(read), cancellationToken) is var n and > 0)
        {
            read += n;
        }
        return Trim(Encoding.UTF8.GetString(buffer, 0, read));
    }

    static string Trim(string text) => TextCut.Fit(text, KeptResponseLength);

    public void Dispose() => client.Dispose();
}
