using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Cadence.Contacts;

/// <summary>
/// Reads the hosted Cadence v2 JSON shapes leniently, as real clients send them: numbers for booleans
/// (optedOut: 1, allowMobileUpdate: 1), numbers for ids, nulls in custom fields. A wrong type in a row is
/// that row's error; only a body that is not the expected shape at all is refused whole. An import's body is
/// walked by JsonImportSource, which hands each contact here on its own.
/// </summary>
public static class JsonContactReader
{
    /// <summary>The single-contact call's body, already parsed: read by the same code as an import's rows.</summary>
    public static ContactInput ReadContact(JsonElement element, int row)
    {
        var reader = new Utf8JsonReader(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element));
        reader.Read();
        TryReadContact(ref reader, row, true, out var input);
        return input;
    }

    /// <summary>
    /// One contact, read token by token from the reader's first token; false when the contact goes on past the
    /// reader's window (read it again from its start with more of the body). On true, the reader stands on the
    /// contact's last token. Measured on a fresh server's first 100,000-row JSON import: a JsonDocument per
    /// contact, its properties enumerated, took about a third of the request thread's time; walking each contact
    /// once first to see that it is whole, a further 0.2-0.3 s.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: see ContactImporter
    public static bool TryReadContact(ref Utf8JsonReader reader, int row, bool allowMobileUpdate, out ContactInput input)
    {
        input = ReadContact(ref reader, row, allowMobileUpdate, out var whole);
        return whole;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: see ContactImporter
    // Reading stops at the first token the window cut (whole: false), so a cut contact is never read further than
    // a whole one would be: a nested value is skipped unread (TrySkip) before anything looks at it.
    static ContactInput ReadContact(ref Utf8JsonReader reader, int row, bool allowMobileUpdate, out bool whole)
    {
        var input = new ContactInput { Row = row, AllowMobileUpdate = allowMobileUpdate };
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            whole = reader.TrySkip();
            input.Error("contact", "each contact must be a JSON object");
            return input;
        }
        whole = false;
        // One pass over the properties, names matched regardless of case ("UniqueCampusId" is "uniqueCampusId").
        while (true)
        {
            if (!reader.Read())
            {
                return input;
            }
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                break; // the contact's end
            }
            var name = KnownName(ref reader);
            if (!reader.Read() || (IsNested(ref reader) && name != "customfields" && !reader.TrySkip()) || !ReadProperty(ref reader, name, input))
            {
                return input; // the window cut the contact
            }
        }
        whole = true;
        return input;
    }

    /// <summary>One property's value into the row (an unknown one is ignored); false when the window cut it (only custom fields can be).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: see ContactImporter
    static bool ReadProperty(ref Utf8JsonReader reader, string name, ContactInput input)
    {
        switch (name)
        {
            case "uniquecampusid": input.UniqueCampusId = Text(ref reader, "uniqueCampusId", input); break;
            case "firstname": input.FirstName = Text(ref reader, "firstName", input); break;
            case "lastname": input.LastName = Text(ref reader, "lastName", input); break;
            case "mobilenumber": input.MobileNumber = Text(ref reader, "mobileNumber", input); break;
            case "staffid":
                input.StaffIdGiven = true;
                input.StaffId = Text(ref reader, "staffId", input);
                break;
            case "optedout":
                if (TryChoice(ref reader, out var optedOut))
                {
                    input.OptedOut = optedOut;
                }
                else
                {
                    input.Error("optedOut", "optedOut must be true or false (or 1 or 0, yes or no)");
                }
                break;
            case "allowmobileupdate":
                if (TryChoice(ref reader, out var allow))
                {
                    input.AllowMobileUpdate = allow ?? input.AllowMobileUpdate;
                }
                else
                {
                    input.Error("allowMobileUpdate", "allowMobileUpdate must be true or false (or 1 or 0)");
                }
                break;
            case "customfields":
                return ReadCustomFields(ref reader, input);
        }
        return true;
    }

    /// <summary>An object or an array begins here (after TrySkip the reader stands on its end, which no scalar reading takes).</summary>
    static bool IsNested(ref Utf8JsonReader reader) => reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray;

    // UTF-8, as the body is: a name given as text is transcoded for every comparison (session 19's profile).
    static readonly (byte[] Camel, string Lower)[] Names =
        [.. new[] { "uniqueCampusId", "firstName", "lastName", "mobileNumber", "optedOut", "customFields", "staffId", "allowMobileUpdate" }
            .Select(n => (System.Text.Encoding.UTF8.GetBytes(n), n.ToLowerInvariant()))];

    /// <summary>The property's name in lower case: compared in place first (no string made), as real clients send camelCase.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: see ContactImporter
    static string KnownName(ref Utf8JsonReader reader)
    {
        foreach (var (camel, lower) in Names)
        {
            if (reader.ValueTextEquals(camel))
            {
                return lower;
            }
        }
        return reader.GetString()!.ToLowerInvariant();
    }

    /// <summary>False when the window cut the object.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: see ContactImporter
    static bool ReadCustomFields(ref Utf8JsonReader reader, ContactInput input)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            if (IsNested(ref reader) && !reader.TrySkip())
            {
                return false;
            }
            input.Error("customFields", "customFields must be an object of field names to values");
            return true;
        }
        while (true)
        {
            if (!reader.Read())
            {
                return false;
            }
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                return true; // the object's end
            }
            var name = reader.GetString()!;
            if (!reader.Read() || (IsNested(ref reader) && !reader.TrySkip()))
            {
                return false;
            }
            if (Scalar(ref reader, out var value))
            {
                input.CustomFields[name] = value;
            }
            else
            {
                input.Error($"customFields.{TextCut.Cut(name, 40)}", "a custom field value must be a string, a number or null");
            }
        }
    }

    static string? Text(ref Utf8JsonReader reader, string name, ContactInput input)
    {
        if (Scalar(ref reader, out var text))
        {
            return text;
        }
        input.Error(name, $"{name} must be a string");
        return null;
    }

    /// <summary>Strings as they are, numbers and booleans as their JSON text, null as null; objects, arrays and invalid Unicode are not scalars.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: see ContactImporter
    static bool Scalar(ref Utf8JsonReader reader, out string? text)
    {
        text = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                try
                {
                    text = reader.GetString();
                    return true;
                }
                catch (InvalidOperationException)
                {
                    return false; // a lone surrogate escape: the row's error, not the request's
                }
            case JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False:
                text = System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
                return true;
            case JsonTokenType.Null:
                return true;
            default:
                return false; // an object or an array, already skipped
        }
    }

    /// <summary>true/false, 1/0, yes/no and the like, or null; false for anything else (an object or an array is never read into).</summary>
    internal static bool TryChoice(ref Utf8JsonReader reader, out bool? choice)
    {
        choice = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.True:
                choice = true;
                return true;
            case JsonTokenType.False:
                choice = false;
                return true;
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.Number when reader.TryGetInt32(out var n) && n is 0 or 1:
                choice = n == 1;
                return true;
            case JsonTokenType.String:
                return InputValues.TryParseChoice(reader.GetString()!, out choice);
            default:
                return false; // an object or an array, already skipped
        }
    }
}
