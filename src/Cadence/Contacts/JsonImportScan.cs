using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Cadence.Contacts;

/// <summary>
/// The body around the contacts array, token by token: the root object's shape and the two options, which may stand
/// before the array or after it. <see cref="ToContacts"/> walks to just inside the array; the rows are read from there
/// (JsonImportSource), and <see cref="ToEnd"/> walks the rest once the array has ended.
/// </summary>
sealed class JsonImportScan(JsonChunks chunks)
{
    public bool HasContacts { get; private set; }
    public string? Email { get; private set; }
    public bool EmailInvalid { get; private set; }
    public bool? AllowMobileUpdate { get; private set; }
    public bool AllowInvalid { get; private set; }

    enum Expect { Root, Other, Contacts, Email, Allow }

    // What the next depth-1 value is, kept across windows.
    Expect expect = Expect.Root;

    /// <summary>Walks to just inside the contacts array (true), or through the whole body when it has none (false).</summary>
    public bool ToContacts() => Walk();

    /// <summary>Walks from just after the contacts array to the body's end: the options there, and nothing after the root object.</summary>
    public void ToEnd() => Walk();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // the body's tail can be long: see ContactImporter
    bool Walk()
    {
        try
        {
            while (true)
            {
                // Token by token inside the window; a token cut by the window's end is read again after More().
                var reader = chunks.Reader();
                while (reader.Read())
                {
                    // Deeper tokens are inside another property's value, which nothing reads.
                    if (reader.CurrentDepth <= 1 && Take(ref reader))
                    {
                        chunks.Commit(ref reader);
                        return true;
                    }
                }
                chunks.Commit(ref reader);
                if (!chunks.More())
                {
                    if (expect == Expect.Root)
                    {
                        throw new CadenceException("The body is empty: send {\"contacts\": [ … ]}.");
                    }
                    return false;
                }
            }
        }
        catch (JsonException e)
        {
            throw chunks.Invalid(e);
        }
        catch (InvalidOperationException)
        {
            throw new CadenceException(RequestErrors.NotUnicode);
        }
    }

    /// <summary>One token of the root object (depth 0 or 1); true when it is the start of the contacts array.</summary>
    bool Take(ref Utf8JsonReader reader)
    {
        var token = reader.TokenType;
        if (expect == Expect.Root)
        {
            if (token != JsonTokenType.StartObject)
            {
                throw new CadenceException("The body must be a JSON object: {\"contacts\": [ … ]}.");
            }
            expect = Expect.Other;
        }
        else if (reader.CurrentDepth == 1 && token == JsonTokenType.PropertyName)
        {
            // A second "contacts" is another property: only the first is read.
            expect = JsonImportSource.IsName(ref reader, "contacts") && !HasContacts ? Expect.Contacts
                : JsonImportSource.IsName(ref reader, "notificationEmail") ? Expect.Email
                : JsonImportSource.IsName(ref reader, "allowMobileUpdate") ? Expect.Allow
                : Expect.Other;
        }
        else if (reader.CurrentDepth == 1 && expect != Expect.Other)
        {
            var contacts = expect == Expect.Contacts;
            Option(ref reader, token);
            expect = Expect.Other;
            return contacts;
        }
        return false;
    }

    /// <summary>The value of a property the import reads: the contacts array's start, or one of the options.</summary>
    void Option(ref Utf8JsonReader reader, JsonTokenType token)
    {
        switch (expect)
        {
            case Expect.Contacts:
                if (token != JsonTokenType.StartArray)
                {
                    throw new CadenceException("The body needs \"contacts\": an array of contacts.");
                }
                HasContacts = true;
                break;
            case Expect.Email:
                Email = token == JsonTokenType.String ? reader.GetString() : null;
                EmailInvalid = token is not (JsonTokenType.String or JsonTokenType.Null);
                break;
            case Expect.Allow:
                AllowInvalid = !JsonContactReader.TryChoice(ref reader, out var allow);
                AllowMobileUpdate = allow;
                break;
        }
    }
}
