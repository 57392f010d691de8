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
    public static ContactInput ReadContact(JsonElement element, int row, bool allowMobileUpdate = true)
    {
        var input = new ContactInput { Row = row, AllowMobileUpdate = allowMobileUpdate };
        if (element.ValueKind != JsonValueKind.Object)
        {
            input.Error("contact", "each contact must be a JSON object");
            return input;
        }
        // One pass over the properties, names matched regardless of case ("UniqueCampusId" is "uniqueCampusId").
        foreach (var property in element.EnumerateObject())
        {
            var value = property.Value;
            switch (KnownName(property))
            {
                case "uniquecampusid": input.UniqueCampusId = Text(value, "uniqueCampusId", input); break;
                case "firstname": input.FirstName = Text(value, "firstName", input); break;
                case "lastname": input.LastName = Text(value, "lastName", input); break;
                case "mobilenumber": input.MobileNumber = Text(value, "mobileNumber", input); break;
                case "staffid":
                    input.StaffIdGiven = true;
                    input.StaffId = Text(value, "staffId", input);
                    break;
                case "optedout":
                    if (TryChoice(value, out var optedOut))
                    {
                        input.OptedOut = optedOut;
                    }
                    else
                    {
                        input.Error("optedOut", "optedOut must be true or false (or 1 or 0, yes or no)");
                    }
                    break;
                case "allowmobileupdate":
                    if (TryChoice(value, out var allow))
                    {
                        input.AllowMobileUpdate = allow ?? input.AllowMobileUpdate;
                    }
                    else
                    {
                        input.Error("allowMobileUpdate", "allowMobileUpdate must be true or false (or 1 or 0)");
                    }
                    break;
                case "customfields":
                    ReadCustomFields(value, input);
                    break;
            }
        }
        return input;
    }

    static readonly (string Camel, string Lower)[] Names =
        [.. new[] { "uniqueCampusId", "firstName", "lastName", "mobileNumber", "staffId", "optedOut", "allowMobileUpdate", "customFields" }
            .Select(n => (n, n.ToLowerInvariant()))];

    /// <summary>The property's name in lower case: compared in place first (no string made), as real clients send camelCase.</summary>
    static string KnownName(JsonProperty property)
    {
        foreach (var (camel, lower) in Names)
        {
            if (property.NameEquals(camel))
            {
                return lower;
            }
        }
        return property.Name.ToLowerInvariant();
    }

    static void ReadCustomFields(JsonElement fields, ContactInput input)
    {
        if (fields.ValueKind == JsonValueKind.Null)
        {
            return;
        }
        if (fields.ValueKind != JsonValueKind.Object)
        {
            input.Error("customFields", "customFields must be an object of field names to values");
            return;
        }
        foreach (var field in fields.EnumerateObject())
        {
            if (Scalar(field.Value, out var value))
            {
                input.CustomFields[field.Name] = value;
            }
            else
            {
                input.Error($"customFields.{(field.Name.Length > 40 ? field.Name[..40] + "…" : field.Name)}", "a custom field value must be a string, a number or null");
            }
        }
    }

    static string? Text(JsonElement value, string name, ContactInput input)
    {
        if (Scalar(value, out var text))
        {
            return text;
        }
        input.Error(name, $"{name} must be a string");
        return null;
    }

    /// <summary>Strings as they are, numbers and booleans as their JSON text, null as null; objects, arrays and invalid Unicode are not scalars.</summary>
    static bool Scalar(JsonElement value, out string? text)
    {
        text = null;
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                try
                {
                    text = value.GetString();
                    return true;
                }
                catch (InvalidOperationException)
                {
                    return false; // a lone surrogate escape: the row's error, not the request's
                }
            case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                text = value.GetRawText();
                return true;
            default:
                return value.ValueKind == JsonValueKind.Null;
        }
    }

    static bool TryChoice(JsonElement value, out bool? choice)
    {
        choice = null;
        switch (value.ValueKind)
        {
            case JsonValueKind.True:
                choice = true;
                return true;
            case JsonValueKind.False:
                choice = false;
                return true;
            case JsonValueKind.Null:
                return true;
            case JsonValueKind.Number when value.TryGetInt32(out var n) && n is 0 or 1:
                choice = n == 1;
                return true;
            case JsonValueKind.String:
                return InputValues.TryParseChoice(value.GetString()!, out choice);
            default:
                return false;
        }
    }
}
