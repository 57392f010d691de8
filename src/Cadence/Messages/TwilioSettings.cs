namespace Cadence.Messages;

/// <summary>The "Cadence:Twilio" settings: the account, the sender, and the public address Twilio calls back.</summary>
public sealed class TwilioSettings
{
    public string? AccountSid { get; set; }
    public string? AuthToken { get; set; }

    /// <summary>The sending number (any accepted format) — or MessagingServiceSid instead.</summary>
    public string? From { get; set; }
    public string? MessagingServiceSid { get; set; }
    public string BaseUrl { get; set; } = "https://api.twilio.com";

    /// <summary>This server's address as Twilio reaches it, e.g. https://sms.college.edu; callbacks go to /webhooks/twilio/….</summary>
    public string? PublicUrl { get; set; }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(AccountSid) || string.IsNullOrWhiteSpace(AuthToken) || string.IsNullOrWhiteSpace(PublicUrl)
            || (string.IsNullOrWhiteSpace(From) && string.IsNullOrWhiteSpace(MessagingServiceSid)))
        {
            throw new CadenceException("The Twilio provider needs Cadence:Twilio:AccountSid, AuthToken, PublicUrl, and From or MessagingServiceSid.");
        }
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out _) || !Uri.TryCreate(PublicUrl, UriKind.Absolute, out _))
        {
            throw new CadenceException("Cadence:Twilio:BaseUrl and PublicUrl must be absolute URLs.");
        }
    }

    public string StatusCallbackUrl => PublicUrl!.TrimEnd('/') + "/webhooks/twilio/status";
}
