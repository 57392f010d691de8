using System.Net;

namespace Cadence.Webhooks;

/// <summary>The rules an endpoint's URL must keep when it is added; the address is checked again on every connection.</summary>
public static class WebhookUrl
{
    public const int MaxLength = 2000;

    public static string Validate(string? text, bool allowPrivateNetworks)
    {
        var url = text?.Trim() ?? "";
        if (url.Length == 0)
        {
            throw new CadenceException("A webhook needs a URL.", code: "invalid_webhook_url");
        }
        if (url.Length > MaxLength)
        {
            throw new CadenceException($"A webhook URL is at most {MaxLength} characters.", code: "invalid_webhook_url");
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.Host.Length == 0)
        {
            throw new CadenceException("A webhook URL is an absolute http:// or https:// address, e.g. https://sis.example.edu/cadence.",
                code: "invalid_webhook_url");
        }
        if (uri.UserInfo.Length > 0)
        {
            // Cadence sends no credentials; a password in the URL would also be shown in the console and the CLI.
            throw new CadenceException("A webhook URL may not hold a user name or password: verify deliveries by their signature instead.",
                code: "invalid_webhook_url");
        }
        if (!allowPrivateNetworks && IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var address) && NetworkGuard.IsPrivate(address))
        {
            throw new CadenceException(
                $"{address} is a private, loopback or link-local address; Cadence calls only public addresses unless Cadence:Webhooks:AllowPrivateNetworks is true.",
                code: "webhook_url_private");
        }
        return uri.AbsoluteUri;
    }
}
