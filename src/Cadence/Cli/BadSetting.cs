using System.Text.RegularExpressions;

namespace Cadence.Cli;

/// <summary>
/// A setting the configuration binder cannot convert (Cadence__SqliteBusyTimeout=abc, "DailyMessageCap": "many") as
/// Cadence's one `error:` line: the binder's own exception names .NET types and would end the start with a stack trace.
/// </summary>
public static partial class BadSetting
{
    /// <summary>"Cadence:SqliteBusyTimeout must be a time span such as 00:00:30 (hours:minutes:seconds)", or null for any other failure.</summary>
    public static string? Describe(Exception e)
    {
        // The binder's message (ConfigurationBinder, .NET 8 and later): "Failed to convert configuration value '…' at '<key>' to type '<type>'."
        // The value is not repeated: a secret put under the wrong key must not reach the terminal or a log.
        if (e is not InvalidOperationException || BinderFailure().Match(e.Message) is not { Success: true } failure)
        {
            return null;
        }
        return $"{failure.Groups["key"].Value} must be {Expected(failure.Groups["type"].Value)}.";
    }

    static string Expected(string type)
    {
        // Nullable`1[[System.Int32, System.Private.CoreLib, …]]: the value's own type.
        if (NullableOf().Match(type) is { Success: true } inner)
        {
            type = inner.Groups[1].Value;
        }
        return type switch
        {
            "System.Int32" or "System.Int64" or "System.Int16" => "a whole number",
            "System.UInt32" or "System.UInt64" or "System.UInt16" or "System.Byte" => "a whole number, 0 or more",
            "System.Double" or "System.Single" or "System.Decimal" => "a number",
            "System.TimeSpan" => "a time span such as 00:00:30 (hours:minutes:seconds)",
            "System.Boolean" => "true or false",
            "System.Uri" => "an absolute address such as https://example.edu",
            _ when typeof(BadSetting).Assembly.GetType(type) is { IsEnum: true } e => $"one of {string.Join(", ", Enum.GetNames(e))}",
            _ => "a value of another form (see the README's settings)",
        };
    }

    [GeneratedRegex(@"^Failed to convert configuration value '.*' at '(?<key>[^']+)' to type '(?<type>[^']+)'\.$", RegexOptions.Singleline)]
    private static partial Regex BinderFailure();

    [GeneratedRegex(@"^System\.Nullable`1\[\[([^,\]]+)")]
    private static partial Regex NullableOf();
}
