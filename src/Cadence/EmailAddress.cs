using MimeKit;

namespace Cadence;

/// <summary>
/// The one rule for addresses Cadence sends to: a plain address (no display name, no list, no group), at most 254
/// characters, nothing that could end a header line or start another. Shared by the import's notificationEmail
/// and the team's notification list. In the root, below both: Email sits above Contacts (its interceptor queues an
/// import's report), so Contacts cannot ask Email.
/// </summary>
public static class EmailAddress
{
    public const int MaxLength = 254;

    public static bool IsValid(string? value) => TryNormalize(value, out _);

    public static bool TryNormalize(string? value, out string address)
    {
        address = value?.Trim() ?? "";
        if (address.Length is 0 or > MaxLength || address.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is ',' or ';' or '<' or '>' or '"' or '(' or ')'))
        {
            return false;
        }
        // Both parsers: .NET's as the import always used, MimeKit's because it is the one that will write the header.
        return System.Net.Mail.MailAddress.TryCreate(address, out var parsed) && parsed.Address == address && parsed.DisplayName.Length == 0
            && MailboxAddress.TryParse(address, out var mailbox) && mailbox.Address == address && address.IndexOf('@') is > 0 and var at && at < address.Length - 1;
    }

    /// <summary>The configured sender: an address, or "Name &lt;address&gt;".</summary>
    public static bool TryParseSender(string value, out MailboxAddress sender)
    {
        sender = null!;
        if (value.Length > 400 || value.Any(char.IsControl) || !MailboxAddress.TryParse(value.Trim(), out var parsed) || !IsValid(parsed.Address))
        {
            return false;
        }
        sender = parsed;
        return true;
    }

    /// <summary>Header text of Cadence's own making (subjects with names in them): one line, bounded.</summary>
    public static string OneLine(string text, int max)
    {
        var line = new string([.. text.Select(c => char.IsControl(c) || c is '\u2028' or '\u2029' ? ' ' : c)]).Trim();
        return TextCut.Fit(line, max);
    }
}
