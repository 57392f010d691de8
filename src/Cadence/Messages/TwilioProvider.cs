using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Cadence.Messages;

/// <summary>
/// Twilio's REST API as it is on the wire: POST /2010-04-01/Accounts/{AccountSid}/Messages.json with form
/// fields To, From (or MessagingServiceSid), Body and StatusCallback, HTTP Basic with the account's SID and token.
/// </summary>
public sealed class TwilioProvider(HttpClient http, TwilioSettings twilio) : ISmsProvider
{
    public bool ReportsLater => true;

    public async Task<SendOutcome> SendAsync(Message message, CancellationToken cancellationToken)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("To", "+" + message.MobileNumber.Replace("-", "")),
            new("Body", message.Body),
            new("StatusCallback", twilio.StatusCallbackUrl),
        };
        fields.Add(string.IsNullOrWhiteSpace(twilio.MessagingServiceSid)
            ? new("From", Contacts.PhoneNumber.TryNormalize(twilio.From, out var from) ? "+" + from.Replace("-", "") : twilio.From!)
            : new("MessagingServiceSid", twilio.MessagingServiceSid));
        using var request = new HttpRequestMessage(HttpMethod.Post,
            $"{twilio.BaseUrl.TrimEnd('/')}/2010-04-01/Accounts/{Uri.EscapeDataString(twilio.AccountSid!)}/Messages.json")
        {
            Content = new FormUrlEncodedContent(fields),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{twilio.AccountSid}:{twilio.AuthToken}")));

        // A timeout or a broken connection throws: Twilio may have taken the text, so the worker records
        // "delivery state unknown" and never sends it again.
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            var sid = JsonDocument.Parse(text).RootElement.TryGetProperty("sid", out var s) ? s.GetString() : null;
            return new SendOutcome(MessageStatus.Sent, sid, null);
        }
        if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
        {
            // Refused before acceptance: safe to try again later.
            return new SendOutcome(MessageStatus.Queued, null, $"Twilio answered {(int)response.StatusCode}; will retry");
        }
        return new SendOutcome(MessageStatus.Failed, null, $"Twilio refused the text: {Reason(text, response.StatusCode)}");
    }

    static string Reason(string body, HttpStatusCode status)
    {
        try
        {
            var json = JsonDocument.Parse(body).RootElement;
            return $"{json.GetProperty("code")} {json.GetProperty("message").GetString()}";
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return $"HTTP {(int)status}";
        }
    }
}
