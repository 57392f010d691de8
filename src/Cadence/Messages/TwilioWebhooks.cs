using System.Security.Cryptography;
using System.Text;
using Cadence.Data;
using Cadence.Events;
using Cadence.Metrics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Messages;

/// <summary>
/// Twilio's callbacks: delivery status and inbound texts. Each must carry a valid X-Twilio-Signature —
/// HMAC-SHA1 under the auth token of the public URL followed by the sorted form fields — or it is refused.
/// </summary>
public static class TwilioWebhooks
{
    static readonly string[] Final = [MessageStatus.Delivered, MessageStatus.Failed, MessageStatus.Undelivered];

    public static IEndpointRouteBuilder MapTwilioWebhooks(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/webhooks/twilio").AllowAnonymous().WithTags("Twilio")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(64 * 1024));

        group.MapPost("/status", StatusAsync).WithSummary("Twilio's delivery status callback");
        group.MapPost("/inbound", InboundAsync).WithSummary("Twilio's inbound text webhook");
        return routes;
    }

    /// <summary>An empty 200 for every verified callback, ours or not (so Twilio stops retrying); 403 when unsigned.</summary>
    static async Task<Results<Ok, ProblemHttpResult>> StatusAsync(HttpContext http, CadenceDb db, TwilioSettings twilio, TimeProvider time,
        ConversationSignals signals, CancellationToken cancellationToken)
    {
        var form = await VerifiedFormAsync(http, twilio);
        if (form is null)
        {
            return Forbidden();
        }
        var sid = form["MessageSid"].ToString();
        var status = form["MessageStatus"].ToString();
        var message = await db.Messages.SingleOrDefaultAsync(m => m.ProviderMessageId == sid && m.Direction == "outbound", cancellationToken);
        if (message is null)
        {
            return TypedResults.Ok(); // not ours (or long gone): acknowledged so Twilio stops retrying
        }
        // Callbacks come out of order: only sent, delivered, failed and undelivered count, and a final status
        // stays final. A callback can never put a text back in the queue.
        if (Final.Contains(message.Status) || status is not (MessageStatus.Sent or MessageStatus.Delivered or MessageStatus.Failed or MessageStatus.Undelivered))
        {
            return TypedResults.Ok();
        }
        var previous = message.Status;
        message.Status = status;
        if (status is MessageStatus.Failed or MessageStatus.Undelivered)
        {
            message.StatusReason = $"Twilio error {form["ErrorCode"]}".Trim();
        }
        message.UpdatedAt = time.GetUtcNow().UtcDateTime;
        if (message.Status != previous)
        {
            (await MessageEvents.ForAsync(db, [message], cancellationToken)).StatusChanged(db, message, message.UpdatedAt);
        }
        await db.SaveChangesAsync(cancellationToken); // the status and its event in one implicit transaction
        signals.RaiseStatus([message]);
        CadenceMetrics.Text(status);
        return TypedResults.Ok();
    }

    /// <summary>An empty TwiML response (a STOP or START confirmation goes out through the outbox, not in it); 403 when unsigned.</summary>
    static async Task<Results<ContentHttpResult, ProblemHttpResult>> InboundAsync(HttpContext http, CadenceDb db, InboundMessages inbound,
        TwilioSettings twilio, CancellationToken cancellationToken)
    {
        var form = await VerifiedFormAsync(http, twilio);
        if (form is null)
        {
            return Forbidden();
        }
        var organization = await db.Organizations.Select(o => o.Id).SingleAsync(cancellationToken);
        await inbound.ReceiveAsync(organization, form["From"].ToString(), form["Body"].ToString(), form["MessageSid"].ToString(), cancellationToken);
        return TypedResults.Content("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>", "text/xml");
    }

    static ProblemHttpResult Forbidden() => Problems.Result(StatusCodes.Status403Forbidden, "Forbidden", "The X-Twilio-Signature does not verify.", "bad_signature");

    static async Task<IFormCollection?> VerifiedFormAsync(HttpContext http, TwilioSettings twilio)
    {
        if (string.IsNullOrEmpty(twilio.AuthToken) || string.IsNullOrEmpty(twilio.PublicUrl) || !http.Request.HasFormContentType)
        {
            return null;
        }
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(http.RequestAborted);
        }
        catch (InvalidDataException)
        {
            return null; // more fields or bigger values than a form may have: not Twilio
        }
        var url = twilio.PublicUrl!.TrimEnd('/') + http.Request.Path + http.Request.QueryString;
        var expected = Signature(twilio.AuthToken, url, form.Select(f => new KeyValuePair<string, string>(f.Key, f.Value.ToString())));
        var given = http.Request.Headers["X-Twilio-Signature"].ToString();
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(given)) ? form : null;
    }

    /// <summary>Twilio's request signature: base64 HMAC-SHA1 of the URL and each form field's name and value, sorted by name.</summary>
    public static string Signature(string authToken, string url, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }
}
