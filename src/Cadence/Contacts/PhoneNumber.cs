namespace Cadence.Contacts;

/// <summary>
/// North American mobile numbers: any 10-digit format (dashes, dots, spaces, parentheses, a leading +) or
/// 11 digits starting with 1, shown and stored as 1-XXX-XXX-XXXX; the area code and the exchange start with 2-9.
/// </summary>
public static class PhoneNumber
{
    public static bool TryNormalize(string? text, out string normalized)
    {
        normalized = "";
        if (string.IsNullOrWhiteSpace(text) || text.Length > 30)
        {
            return false;
        }
        Span<char> digits = stackalloc char[11];
        var count = 0;
        foreach (var c in text.AsSpan().Trim())
        {
            if (char.IsAsciiDigit(c))
            {
                if (count == 11)
                {
                    return false;
                }
                digits[count++] = c;
            }
            else if (c is not ('-' or '.' or ' ' or '(' or ')' or '+'))
            {
                return false;
            }
        }
        ReadOnlySpan<char> ten = count switch
        {
            10 => digits[..10],
            11 when digits[0] == '1' => digits[1..11],
            _ => [],
        };
        // The North American numbering plan: area code and exchange are NXX, N being 2-9 (so 123-456-7890 is no number).
        if (ten.IsEmpty || ten[0] < '2' || ten[3] < '2')
        {
            return false;
        }
        normalized = $"1-{ten[..3]}-{ten[3..6]}-{ten[6..]}";
        return true;
    }

    public const string Rule = "a mobile number has 10 digits (any of 716-555-0101, (716) 555-0101, 716.555.0101) or 11 starting with 1, " +
        "and its area code and the exchange start with 2 to 9 (the North American numbering plan)";
}
