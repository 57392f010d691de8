using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Cadence.Contacts;

/// <summary>The first pass: token by token through the whole body, keeping nothing but the options and a count.</summary>
sealed class JsonImportScan(JsonChunks chunks)
{
    public bool HasContacts { get; private set; }
    public string? Email { get; private set; }
    public bool EmailInvalid { get; private set; }
    public bool? AllowMobileUpdate { get; private set; }
    public bool AllowInvalid { get; private set; }

    enum Expect { Root, Other, Contacts, Email, Allow }

    // Where the walk stands, kept across windows: what the next depth-1 value is, and how many contacts began.
    Expect expect = Expect.Root;
    int contacts;
    bool seenContacts;
    bool inContacts;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: see ContactImporter
    public void Run()
    {
        try
        {
            while (true)
            {
                // Token by token inside the window; a token cut by the window's end is read again after More().
                var reader = chunks.Reader();
                while (reader.Read())
                {
                    // Deeper tokens are inside a contact (or another value): the second pass reads them, nothing here does.
                    if (reader.CurrentDepth <= 2)
                    {
                        Take(ref reader);
                    }
                }
                chunks.Commit(ref reader);
                if (!chunks.More())
                {
                    if (expect == Expect.Root)
                    {
                        throw new CadenceException("The body is empty: send {\"contacts\": [ … ]}.");
                    }
                    return;
                }
            }
        }
        catch (JsonException e)
        {
            throw chunks.Invalid(e);
        }
        catch (InvalidOperationException)
        {
            throw new CadenceException("The body holds text that is not valid Unicode (an unpaired surrogate escape).");
        }
    }

    /// <summary>One token of the root object (depth 1) or of the contacts array (depth 2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // per row: see ContactImporter
    void Take(ref Utf8JsonReader reader)
    {
        var depth = reader.CurrentDepth;
        var token = reader.TokenType;
        if (expect == Expect.Root)
        {
            if (token != JsonTokenType.StartObject)
            {
                throw new CadenceException("The body must be a JSON object: {\"contacts\": [ … ]}.");
            }
            expect = Expect.Other;
        }
        else if (depth == 1 && token == JsonTokenType.PropertyName)
        {
            expect = JsonImportSource.IsName(ref reader, "contacts") && !seenContacts ? Expect.Contacts
                : JsonImportSource.IsName(ref reader, "notificationEmail") ? Expect.Email
                : JsonImportSource.IsName(ref reader, "allowMobileUpdate") ? Expect.Allow
                : Expect.Other;
        }
        else if (depth == 1 && expect != Expect.Other)
        {
            Option(ref reader, token);
            expect = Expect.Other;
        }
        else if (depth == 1 && inContacts && token == JsonTokenType.EndArray)
        {
            inContacts = false;
        }
        else if (depth == 2 && inContacts && token is not (JsonTokenType.EndObject or JsonTokenType.EndArray)
                 && ++contacts > ContactRules.MaxRowsPerImport)
        {
            throw new CadenceException($"An import holds at most {ContactRules.MaxRowsPerImport:N0} contacts. Split it.",
                StatusCodes.Status413PayloadTooLarge);
        }
    }

    /// <summary>The value of a property the import reads: the contacts array's start, or one of the options.</summary>
    void Option(ref Utf8JsonReader reader, JsonTokenType token)
    {
        switch (expect)
        {
            case Expect.Contacts:
                seenContacts = true;
                if (token != JsonTokenType.StartArray)
                {
                    throw new CadenceException("The body needs \"contacts\": an array of contacts.");
                }
                HasContacts = inContacts = true;
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
