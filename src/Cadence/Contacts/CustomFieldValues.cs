using System.Text.Json;

namespace Cadence.Contacts;

/// <summary>A contact's custom field values, kept as one JSON object of strings in its row (one row per contact keeps imports fast).</summary>
public static class CustomFieldValues
{
    public static Dictionary<string, string> Parse(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];

    public static Dictionary<string, string> Parse(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(utf8) ?? [];

    /// <summary>Serialised with the keys in order, so that equal values give equal text.</summary>
    public static string Serialize(IReadOnlyDictionary<string, string> values)
    {
        if (values.Count == 0)
        {
            return "{}";
        }
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var key in values.Keys.Order(StringComparer.Ordinal))
            {
                writer.WriteString(key, values[key]);
            }
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
