namespace Cadence.Contacts;

/// <summary>
/// An import body read one row at a time (JSON or CSV), so that no more than one row is held while the
/// rows are validated and written. Header and shape problems are found when the source is opened.
/// </summary>
public interface IContactSource : IDisposable
{
    /// <summary>json or csv.</summary>
    string Format { get; }
    string? NotificationEmail { get; }

    /// <summary>The next row, or null at the end; a CadenceException for a body that cannot be read on.</summary>
    ContactInput? Next();
}

/// <summary>A fixed list of rows: the single-contact call.</summary>
public sealed class ListSource(string format, IEnumerable<ContactInput> rows) : IContactSource
{
    readonly IEnumerator<ContactInput> rows = rows.GetEnumerator();

    public string Format => format;
    public string? NotificationEmail => null;

    public ContactInput? Next() => rows.MoveNext() ? rows.Current : null;

    public void Dispose() => rows.Dispose();
}

/// <summary>
/// Thrown by a source that learned, after its last row, something that changes how its rows read (JSON's
/// allowMobileUpdate after the contacts): it has gone back to its first row, and the import runs again from the start.
/// </summary>
public sealed class ContactSourceRewound() : Exception("The import's source went back to its first row.");
