using System.Text.RegularExpressions;

namespace Cadence.Cli;

/// <summary>Durations as people type them: 30m, 24h, 90d, 2w; "0" alone for none.</summary>
public static partial class Durations
{
    public static TimeSpan Parse(string text)
    {
        var match = Pattern().Match(text.Trim());
        if (!match.Success)
        {
            throw new CadenceException($"'{TextCut.Cut(text, 20)}' is not a duration: use a number and a unit, e.g. 30m, 24h, 90d.");
        }
        if (match.Groups[3].Success)
        {
            return TimeSpan.Zero;
        }
        var n = long.Parse(match.Groups[1].Value);
        return match.Groups[2].Value switch
        {
            "s" => TimeSpan.FromSeconds(n),
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            "d" => TimeSpan.FromDays(n),
            _ => TimeSpan.FromDays(7 * n),
        };
    }

    // "0" needs no unit; anything else does, so "24" cannot be misread.
    [GeneratedRegex(@"^(?:(\d{1,6})([smhdw])|(0))$")]
    private static partial Regex Pattern();
}
