using Cadence.Teams;

namespace Cadence.Contacts;

/// <summary>The team's custom fields as an import applies them to a row: defined names only, bounded values, required ones present.</summary>
sealed class ImportFields(Team team, Dictionary<string, CustomField> fields)
{
    public bool HasRequired { get; } = fields.Values.Any(f => f.Required);

    readonly Dictionary<string, string?> values = new(StringComparer.Ordinal);

    /// <summary>
    /// The row's custom field values under their defined names. An unknown field fails the row (PRODUCT §4),
    /// but is reported once per import, at the first row that had it.
    /// </summary>
    /// <remarks>
    /// One dictionary, cleared for each row, so the values hold only until the next row: what keeps them copies them
    /// (test <c>ImportTests.EachRowGetsOnlyTheCustomFieldsItGives</c>). With the row's
    /// error list made only for an error, an unchanged 100,000-row CSV re-import allocated 116 MB instead of 140 MB
    /// (session 19, read from /metrics).
    /// </remarks>
    public Dictionary<string, string?> Values(ContactInput input, ImportErrors errors)
    {
        values.Clear();
        foreach (var (name, value) in input.CustomFields)
        {
            if (!fields.TryGetValue(name, out var field))
            {
                if (errors.FirstTimeUnknown(name))
                {
                    input.Error($"customFields.{TextCut.Echo(name)}",
                        $"team {team.DepartmentCode} has no custom field '{TextCut.Echo(name)}'; define it first (reported once: every row with this field fails)");
                }
                input.FailQuietly();
            }
            else if (value is { Length: > ContactRules.MaxFieldValueLength })
            {
                input.Error($"customFields.{field.Name}", $"the value has {value.Length} characters; at most {ContactRules.MaxFieldValueLength} are allowed");
            }
            else if (value is not null && value.Contains('\0'))
            {
                // PostgreSQL cannot store it, and no text should carry it.
                input.Error($"customFields.{field.Name}", "the value holds a NUL character (U+0000)");
            }
            else
            {
                values[field.Name] = ImportPlan.Blank(value);
            }
        }
        return values;
    }

    public static Dictionary<string, string> Merge(Dictionary<string, string> stored, Dictionary<string, string?> changes)
    {
        foreach (var (name, value) in changes)
        {
            if (value is null)
            {
                stored.Remove(name);
            }
            else
            {
                stored[name] = value;
            }
        }
        return stored;
    }

    /// <summary>True (and reported) when the row leaves a required field without a value.</summary>
    public bool MissingRequired(ContactInput input, Dictionary<string, string> values, ImportErrors errors)
    {
        foreach (var field in fields.Values.Where(f => f.Required && !values.ContainsKey(f.Name)))
        {
            errors.Add(new RowError(input.Row, input.UniqueCampusId?.Trim(), $"customFields.{field.Name}", $"the custom field {field.Name} is required"));
        }
        return HasRequired && fields.Values.Any(f => f.Required && !values.ContainsKey(f.Name));
    }
}
