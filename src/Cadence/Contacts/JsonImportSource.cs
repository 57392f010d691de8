using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Cadence.Contacts;

/// <summary>
/// A JSON import body, {"contacts": [...], "notificationEmail": ..., "allowMobileUpdate": ...}, read in two
/// passes over the received body. The first only walks the tokens: the whole body is valid JSON of the right
/// shape, the options (which may come after the contacts) are known, and a body of more than 100,000
/// contacts is refused when the 100,001st begins, all before an import slot or a lock is taken. The second
/// hands out one contact at a time, each read on its own once it is wholly in the window (JsonContactReader.ReadContact).
/// </summary>
public sealed class JsonImportSource : IContactSource
{
    readonly Stream body;
    readonly bool allowMobileUpdate;
    JsonChunks? chunks;
    bool inContacts;
    bool done;
    int row;

    public string Format => "json";
    public string? NotificationEmail { get; }

    JsonImportSource(Stream body, string? email, bool allowMobileUpdate)
    {
        this.body = body;
        NotificationEmail = email;
        this.allowMobileUpdate = allowMobileUpdate;
    }

    /// <summary>Checks the body (a seekable stream, the received upload) and opens it for reading rows.</summary>
    public static JsonImportSource Open(Stream body)
    {
        var scan = new JsonImportScan(new JsonChunks(body));
        scan.Run();
        if (!scan.HasContacts)
        {
            throw new CadenceException("The body needs \"contacts\": an array of contacts.");
        }
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
        body.Position = 0;
        return new JsonImportSource(body, email, scan.AllowMobileUpdate ?? true);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: see ContactImporter
    public ContactInput? Next()
    {
        if (done)
        {
            return null;
        }
        chunks ??= new JsonChunks(body);
        try
        {
            if (!inContacts)
            {
                SeekContacts(chunks);
            }
            return NextContact(chunks);
        }
        catch (JsonException e)
        {
            throw chunks.Invalid(e);
        }
        catch (InvalidOperationException)
        {
            // A lone surrogate escape in a property name: a value's is the row's error (JsonContactReader).
            throw new CadenceException("The body holds text that is not valid Unicode (an unpaired surrogate escape).");
        }
    }

    /// <summary>Walks to just inside the contacts array; the first pass proved the shape, so other properties are skipped.</summary>
    void SeekContacts(JsonChunks chunks)
    {
        while (true)
        {
            var reader = chunks.Reader();
            if (!reader.Read())
            {
                More();
                continue;
            }
            chunks.Commit(ref reader);
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && IsName(ref reader, "contacts"))
            {
                inContacts = true;
                var array = chunks.Reader();
                while (!array.Read())
                {
                    More();
                    array = chunks.Reader();
                }
                chunks.Commit(ref array);
                return;
            }
        }
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
                done = true;
                return null;
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
        if (!chunks!.More())
        {
            throw new CadenceException("The body ended before the JSON did.");
        }
    }

    public void Dispose() => body.Dispose();

    internal static bool IsName(ref Utf8JsonReader reader, string name) =>
        reader.ValueTextEquals(name) || (!reader.ValueIsEscaped && reader.ValueSpan.Length == name.Length
            && System.Text.Ascii.EqualsIgnoreCase(reader.ValueSpan, name));
}
