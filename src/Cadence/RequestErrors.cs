using System.Text.Json;
using System.Text.RegularExpressions;

namespace Cadence;

/// <summary>
/// Says what is wrong with a request in the API's own words: which field (a JSON path such as
/// <c>$.recipients[0]</c>, or a query parameter) and what was expected. The serializer's and the framework's
/// own messages name .NET types ("could not be converted to Cadence.Messages.CreateAndSendRequest", "Failed to
/// bind parameter \"Nullable&lt;DateTime&gt; since\"") and are never passed on as they are.
/// </summary>
public static partial class RequestErrors
{
    /// <summary>What System.Text.Json's InvalidOperationException means in a body: a lone surrogate escape ("\\ud800").</summary>
    public const string NotUnicode = "The body holds text that is not valid Unicode (an unpaired surrogate escape).";

    /// <param name="target">The type the body was read as, to tell what the value at the path should have been.</param>
    public static string Describe(JsonException e, Type? target)
    {
        var at = string.IsNullOrEmpty(e.Path) ? "$" : e.Path;
        if (ConvertedTo().Match(e.Message) is { Success: true } match)
        {
            // The serializer names the record holding the property, not always the property's type: the path says which.
            var expected = (target is null ? null : TypeAt(target, at)) is { } type ? Expected(type) : Expected(match.Groups[1].Value);
            return $"The body is not the expected JSON: {at} must be {expected}.";
        }
        // The reader's words for malformed JSON ("'}' is invalid after a property name") or a converter's
        // ("Expected a string or a number"): they name no type, but are checked anyway.
        var reason = e.Message.Split(" Path: ")[0].Split(" LineNumber: ")[0].Trim().TrimEnd('.', '|', ' ');
        if (reason.Length == 0 || TypeName().IsMatch(reason))
        {
            reason = "it does not have the expected shape";
        }
        var position = e.LineNumber is { } line && e.BytePositionInLine is { } column ? $" (line {line + 1}, byte {column + 1})" : "";
        return $"The body is not the expected JSON at {at}{position}: {reason}.";
    }

    /// <summary>The type of the value at a JSON path ($.recipients[0].uniqueCampusId) of a request type, or null.</summary>
    static Type? TypeAt(Type root, string path)
    {
        var type = root;
        foreach (Match step in PathStep().Matches(path))
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (step.Groups["index"].Success)
            {
                type = type.IsArray ? type.GetElementType()
                    : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
            }
            else
            {
                var name = step.Groups["name"].Success ? step.Groups["name"].Value : step.Groups["quoted"].Value;
                type = type.GetProperty(name, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase)?.PropertyType;
            }
            if (type is null)
            {
                return null;
            }
        }
        return type;
    }

    /// <summary>The framework's binding failures (query and route values, bodies bound to a parameter), reworded.</summary>
    /// <param name="target">The body's type, when the endpoint declares one.</param>
    public static string Describe(BadHttpRequestException e, Type? target)
    {
        if (e.InnerException is JsonException json)
        {
            return Describe(json, target);
        }
        if (BindFailure().Match(e.Message) is { Success: true } bind)
        {
            var value = bind.Groups["value"].Value;
            return $"{bind.Groups["name"].Value} must be {Expected(bind.Groups["type"].Value)}; '{TextCut.Cut(value, 40)}' is not.";
        }
        if (Missing().Match(e.Message) is { Success: true } missing)
        {
            return missing.Groups["source"].Value.StartsWith("body", StringComparison.OrdinalIgnoreCase)
                ? "The body is required: a JSON object."
                : $"{missing.Groups["name"].Value} is required.";
        }
        if (e.Message.StartsWith("Implicit body inferred", StringComparison.Ordinal) || e.Message.StartsWith("Failed to read parameter", StringComparison.Ordinal))
        {
            return e.InnerException is InvalidOperationException
                ? NotUnicode
                : "The body is required: a JSON object.";
        }
        if (e.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return "Send JSON with Content-Type: application/json.";
        }
        return TypeName().IsMatch(e.Message) ? "The request could not be read." : "The request could not be read: " + e.Message;
    }

    static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(string) ? "a string"
            : type == typeof(bool) ? "true or false"
            : type == typeof(int) || type == typeof(long) || type == typeof(short) ? "a whole number"
            : type == typeof(double) || type == typeof(decimal) || type == typeof(float) ? "a number"
            : type == typeof(DateTime) || type == typeof(DateTimeOffset) ? "a date and time such as 2026-09-01T14:00:00Z"
            : type == typeof(Guid) ? "an id such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301"
            : type.IsArray || (type.IsGenericType && type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
                && !type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>))) ? "an array"
            : "a JSON object";
    }

    /// <summary>A .NET type, as the serializer (System.Nullable`1[System.DateTime]) or the binder (DateTime?) spells it, in the API's words.</summary>
    static string Expected(string type)
    {
        var name = type.Replace("System.Nullable`1[", "").Replace("Nullable<", "").TrimEnd(']', '>', '?').ToLowerInvariant();
        return name switch
        {
            _ when name.Contains("list`") || name.Contains("[]") || name.Contains("enumerable") || name.Contains("array") => "an array",
            _ when name.Contains("dictionary") => "an object",
            _ when name.EndsWith("datetime") || name.EndsWith("datetimeoffset") => "a date and time such as 2026-09-01T14:00:00Z",
            _ when name.EndsWith("boolean") || name.EndsWith("bool") => "true or false",
            _ when name.EndsWith("int16") || name.EndsWith("int32") || name.EndsWith("int64") || name.EndsWith("int") || name.EndsWith("long") || name.EndsWith("short") =>
                "a whole number",
            _ when name.EndsWith("double") || name.EndsWith("decimal") || name.EndsWith("single") || name.EndsWith("float") => "a number",
            _ when name.EndsWith("guid") => "an id such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301",
            _ when name.EndsWith("string") || name.EndsWith("char") => "a string",
            _ => "a JSON object",
        };
    }

    [GeneratedRegex(@"\.(?<name>[A-Za-z_][A-Za-z0-9_]*)|\[(?<index>\d+)\]|\['(?<quoted>[^']*)'\]")]
    private static partial Regex PathStep();

    [GeneratedRegex(@"could not be converted to ([^\s]+?)\.?(?: Path:|$)")]
    private static partial Regex ConvertedTo();

    [GeneratedRegex("^Failed to bind parameter \"(?<type>.+) (?<name>[^ ]+)\" from \"(?<value>.*)\"\\.$", RegexOptions.Singleline)]
    private static partial Regex BindFailure();

    [GeneratedRegex("^Required parameter \"(?<type>.+) (?<name>[^ ]+)\" was not provided from (?<source>[^.]+)")]
    private static partial Regex Missing();

    /// <summary>The shape of a type name in a message; such a message is never passed on.</summary>
    [GeneratedRegex(@"\b(Cadence|System|Microsoft)\.[A-Z]|`\d|Nullable<")]
    private static partial Regex TypeName();
}
