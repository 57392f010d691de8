using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Cadence.Contacts;

/// <summary>
/// A JSON import body, {"contacts": [...], "notificationEmail": ..., "allowMobileUpdate": ...}, read in one pass
/// over the received body. Opening it walks to the contacts array (JsonImportScan), checking the root's shape and
/// the options before it; each contact is then handed out on its own once it is wholly in the window
/// (JsonContactReader.ReadContact), and the 100,001st is refused (413) as it begins; after the array the rest of the
/// body is walked for the options there and for anything that is not JSON.
/// </summary>
/// <remarks>
/// An `allowMobileUpdate` after the contacts that differs from what the rows were read with cannot apply to rows
/// already written: <see cref="Next"/> then rewinds to the first contact with the body's value and throws
/// <see cref="ContactSourceRewound"/>, and the import rolls back and runs again (ContactImporter). Reading the body
/// once instead of scanning it first saved about 40-50 ms of the 15.6 MB JSON re-import's 1.35 s on a slow hour
/// (session 13); a body that puts allowMobileUpdate: false last is read twice, as every body was before.
/// </remarks>
public sealed class JsonImportSource : IContactSource
{
    readonly Stream body;
    JsonChunks chunks;
    JsonImportScan scan;
    bool allowMobileUpdate;
    bool rewound;
    bool done;
    int row;

    public string Format => "json";

    /// <summary>The body's notificationEmail: known once it has been read, which may be only after the last contact.</summary>
    public string? NotificationEmail { get; private set; }

    JsonImportSource(Stream body)
    {
        this.body = body;
        (chunks, scan) = Start(body);
    }

    /// <summary>Opens the body (a seekable stream, the received upload) at its first contact, checking what comes before it.</summary>
    public static JsonImportSource Open(Stream body)
    {
        var source = new JsonImportSource(body);
        source.allowMobileUpdate = source.scan.AllowMobileUpdate ?? true;
        return source;
    }

    /// <summary>A new walk of the body from its start to just inside the contacts array.</summary>
    (JsonChunks, JsonImportScan) Start(Stream body)
    {
        body.Position = 0;
        var chunks = new JsonChunks(body);
        var scan = new JsonImportScan(chunks);
        if (!scan.ToContacts())
        {
            throw new CadenceException("The body needs \"contacts\": an array of contacts.");
        }
        ReadOptions(scan);
        return (chunks, scan);
    }

    /// <summary>The options as read so far; a value Cadence refuses ends the import.</summary>
    void ReadOptions(JsonImportScan scan)
    {
        var email = scan.Email?.Trim();
        if (email == "")
        {
            email = null; // an empty string is how many scripts leave an optional field unset
        }
        else if (scan.EmailInvalid || (email is not null && !EmailAddress.IsValid(email)))
        {
            throw new CadenceException("notificationEmail must be an email address.");
        }
        if (scan.AllowInvalid)
        {
            throw new CadenceException("allowMobileUpdate must be true or false (or 1 or 0).");
        }
        NotificationEmail = email;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: see ContactImporter
    public ContactInput? Next()
    {
        if (done)
        {
            return null;
        }
        try
        {
            if (NextContact(chunks) is { } contact)
            {
                return contact;
            }
        }
        catch (JsonException e)
        {
            throw chunks.Invalid(e);
        }
        catch (InvalidOperationException)
        {
            // A lone surrogate escape in a property name: a value's is the row's error (JsonContactReader).
            throw new CadenceException(RequestErrors.NotUnicode);
        }
        Finish();
        return null;
    }

    /// <summary>After the array: the rest of the body, and a rewind when its allowMobileUpdate differs from the rows'.</summary>
    void Finish()
    {
        scan.ToEnd();
        ReadOptions(scan);
        var allow = scan.AllowMobileUpdate ?? true;
        if (allow != allowMobileUpdate && !rewound)
        {
            var email = NotificationEmail;
            (chunks, scan) = Start(body);
            (allowMobileUpdate, rewound, row, NotificationEmail) = (allow, true, 0, email);
            throw new ContactSourceRewound();
        }
        done = true;
    }

    /// <summary>The next contact of the array, read once it is wholly in the window; null at the array's end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: see ContactImporter
    ContactInput? NextContact(JsonChunks chunks)
    {
        while (true)
        {
            var reader = chunks.Reader();
            if (!reader.Read())
            {
                More();
                continue;
            }
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                chunks.Commit(ref reader);
                return null;
            }
            if (row == ContactRules.MaxRowsPerImport)
            {
                throw new CadenceException($"An import holds at most {ContactRules.MaxRowsPerImport:N0} contacts. Split it.",
                    StatusCodes.Status413PayloadTooLarge);
            }
            if (!JsonContactReader.TryReadContact(ref reader, row + 1, allowMobileUpdate, out var contact))
            {
                More(); // the contact goes on past the window: read from its start again with more of the body
                continue;
            }
            row++;
            chunks.Commit(ref reader);
            return contact;
        }
    }

    void More()
    {
        if (!chunks.More())
        {
            throw new CadenceException("The body ended before the JSON did.");
        }
    }

    public void Dispose() => body.Dispose();

    internal static bool IsName(ref Utf8JsonReader reader, string name) =>
        reader.ValueTextEquals(name) || (!reader.ValueIsEscaped && reader.ValueSpan.Length == name.Length
            && System.Text.Ascii.EqualsIgnoreCase(reader.ValueSpan, name));
}
