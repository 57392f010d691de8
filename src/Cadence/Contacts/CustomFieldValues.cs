using System.Text.Json;

namespace Cadence.Contacts;

/// <summary>A contact's custom field values, kept as one JSON object of strings in its row (one row per contact keeps imports fast).</summary>
public static class CustomFieldValues
{
    public static Dictionary<string, string> Parse(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];

    /// <summary>Serialised with the keys in order, so that equal values give equal text.</summary>
    public static string Serialize(IReadOnlyDictionary<string, string> values) =>
        values.Count == 0 ? "{}" : JsonSerializer.Serialize(new SortedDictionary<string, string>(values.ToDictionary(), StringComparer.Ordinal));
}
