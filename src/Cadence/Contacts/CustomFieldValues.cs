using System.Runtime.CompilerServices;
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: see ContactImporter
    public static string Serialize(IReadOnlyDictionary<string, string> values)
    {
        if (values.Count == 0)
        {
            return "{}";
        }
        // One buffer and writer per thread, reset for each contact: an import serialises one per row.
        var buffer = Buffer ??= new System.Buffers.ArrayBufferWriter<byte>(256);
        var writer = Writer ??= new Utf8JsonWriter(buffer);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        writer.WriteStartObject();
        if (values.Count == 1)
        {
            foreach (var (key, value) in values)
            {
                writer.WriteString(key, value);
            }
        }
        else
        {
            var keys = values.Keys.ToArray();
            Array.Sort(keys, StringComparer.Ordinal);
            foreach (var key in keys)
            {
                writer.WriteString(key, values[key]);
            }
        }
        writer.WriteEndObject();
        writer.Flush();
        var text = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        if (buffer.Capacity > 64 * 1024)
        {
            Buffer = null; // a contact with large values does not keep its buffer on the thread
            Writer = null;
        }
        return text;
    }

    [ThreadStatic] static System.Buffers.ArrayBufferWriter<byte>? Buffer;
    [ThreadStatic] static Utf8JsonWriter? Writer;
}
