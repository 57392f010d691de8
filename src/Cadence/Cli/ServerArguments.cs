namespace Cadence.Cli;

/// <summary>
/// What `serve` (and plain `cadence`) takes besides its own options: ASP.NET Core configuration such as
/// `--Logging:LogLevel:Default=Debug` or `--Cadence:Database "Host=…"`. Anything else is a mistake, reported
/// with a suggestion, so that `cadence frobnicate` does not quietly start a server on port 5080.
/// </summary>
static class ServerArguments
{
    // Host settings that have no section; everything else must name one ("Section:Key").
    static readonly string[] HostKeys = ["urls", "environment", "contentRoot", "applicationName"];

    /// <summary>The first argument that is not configuration, as an error message; null when all are.</summary>
    public static string? Check(IReadOnlyList<string> tokens, IEnumerable<string> commands, IEnumerable<string> options)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var body = token.StartsWith("--", StringComparison.Ordinal) ? token[2..] : token.StartsWith('/') ? token[1..] : null;
            if (body is null)
            {
                // A bare word: a mistyped command when it comes first, else stray text.
                return i == 0
                    ? $"'{token}' is not a cadence command.{Suggest(token, commands)} Run `cadence --help` for the list."
                    : $"Unexpected argument '{token}'. Run `cadence --help`.";
            }
            var key = body.Split('=', 2)[0];
            // "--Section=" with no value is how a host builder passes a section's own (empty) entry along.
            var emptySection = body.EndsWith('=') && key.Length + 1 == body.Length;
            if (key.Length == 0 || !(key.Contains(':') || emptySection || HostKeys.Contains(key, StringComparer.OrdinalIgnoreCase)))
            {
                return $"Unknown option '{token}'.{Suggest("--" + key, options)} Configuration settings are written --Section:Key=value.";
            }
            if (!body.Contains('=') && i + 1 < tokens.Count && !tokens[i + 1].StartsWith('-'))
            {
                i++; // "--Section:Key value"
            }
        }
        return null;
    }

    static string Suggest(string typed, IEnumerable<string> names)
    {
        var best = names.Select(n => (Name: n, Distance: Distance(typed.ToLowerInvariant(), n.ToLowerInvariant())))
            .Where(c => c.Distance <= Math.Max(2, c.Name.Length / 3)).OrderBy(c => c.Distance).FirstOrDefault();
        return best.Name is null ? "" : $" Did you mean '{best.Name}'?";
    }

    /// <summary>Levenshtein distance; the names are a handful of short words.</summary>
    static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            previous = current;
        }
        return previous[b.Length];
    }
}
