using System.Text.Json;

namespace Cadence.Contacts;

/// <summary>
/// The row errors of one import, bounded: at most <see cref="MaxKept"/> are kept (the failed count stays
/// true), each one's text is cut to a few hundred characters, and an unknown custom field is reported once,
/// at the first row that had it, rather than once per row (it is a header problem, not a row's).
/// </summary>
public sealed class ImportErrors
{
    public const int MaxKept = 1000;
    public const int MaxReasonLength = 300;
    public const int MaxFieldLength = 120;

    // Enough names to be useful; past it, further unknown names still fail their rows but are not remembered.
    const int MaxUnknownFieldsRemembered = 200;

    readonly List<RowError> kept = [];
    readonly List<RowError> notices = [];

    /// <summary>What a row that was imported should know (it starts opted out, a STOP stands), bounded like the errors.</summary>
    public IReadOnlyList<RowError> Notices => notices;

    public void Notice(RowError notice)
    {
        if (notices.Count < MaxKept)
        {
            notices.Add(Bounded(notice));
        }
    }
    readonly HashSet<string> unknownFields = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<RowError> Kept => kept;

    /// <summary>True when errors were dropped because <see cref="MaxKept"/> were already kept.</summary>
    public bool Truncated { get; private set; }

    public void Add(RowError error)
    {
        if (kept.Count == MaxKept)
        {
            Truncated = true;
            return;
        }
        kept.Add(Bounded(error));
    }

    /// <summary>Some errors were not kept (a row had more than ContactInput.MaxErrorsPerRow).</summary>
    public void MarkTruncated() => Truncated = true;

    /// <summary>Reports an unknown custom field the first time it is seen in this import; later rows fail silently.</summary>
    public bool FirstTimeUnknown(string name)
    {
        if (unknownFields.Contains(name))
        {
            return false;
        }
        if (unknownFields.Count < MaxUnknownFieldsRemembered)
        {
            unknownFields.Add(name);
        }
        return true;
    }

    public static RowError Bounded(RowError error) => error with
    {
        UniqueCampusId = TextCut.Cut(error.UniqueCampusId, ContactRules.MaxIdLength + 1),
        Field = TextCut.Cut(error.Field, MaxFieldLength),
        Reason = TextCut.Cut(error.Reason, MaxReasonLength),
    };

    /// <summary>
    /// The stored form (ImportBatch.Errors): a JSON array as before, or, when errors were dropped, an object
    /// {"truncated": …, "errors": [...], "notices": [...]} — older batches stay readable without a migration.
    /// </summary>
    public string Serialize() => Truncated || notices.Count > 0
        ? JsonSerializer.Serialize(new StoredErrors(Truncated, kept, notices), JsonSerializerOptions.Web)
        : JsonSerializer.Serialize(kept, JsonSerializerOptions.Web);

    public static (List<RowError> Errors, bool Truncated, List<RowError> Notices) Deserialize(string text)
    {
        if (text.StartsWith('{'))
        {
            var stored = JsonSerializer.Deserialize<StoredErrors>(text, JsonSerializerOptions.Web);
            return (stored?.Errors ?? [], stored?.Truncated ?? false, stored?.Notices ?? []);
        }
        return (JsonSerializer.Deserialize<List<RowError>>(text, JsonSerializerOptions.Web) ?? [], false, []);
    }

    sealed record StoredErrors(bool Truncated, List<RowError> Errors, List<RowError>? Notices = null);
}
