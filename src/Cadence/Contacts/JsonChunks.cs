using System.Text.Json;

namespace Cadence.Contacts;

/// <summary>
/// A JSON body read through a bounded window: Utf8JsonReader runs over the bytes in the window, and when a
/// token or a contact does not fit, the window slides on (and grows, up to <see cref="MaxWindow"/>).
/// Memory is bounded by the largest single contact, not by the body.
/// </summary>
public sealed class JsonChunks(Stream stream)
{
    /// <summary>Far above the largest legal contact (100 fields of 1,000 characters, six bytes each when escaped).</summary>
    public const int MaxWindow = 4 * 1024 * 1024;

    byte[] buffer = new byte[64 * 1024];
    int start;
    int end;
    bool final;
    bool started;
    JsonReaderState state;

    /// <summary>How far into the body the window starts, for error messages.</summary>
    public long Position { get; private set; }

    public Utf8JsonReader Reader()
    {
        if (!started)
        {
            started = true;
            Fill();
            if (end - start >= 3 && buffer[start] == 0xEF && buffer[start + 1] == 0xBB && buffer[start + 2] == 0xBF)
            {
                start += 3; // a UTF-8 byte order mark, as JsonDocument tolerated
                Position = 3;
            }
        }
        return new Utf8JsonReader(buffer.AsSpan(start, end - start), final, state);
    }

    /// <summary>Keeps what the reader has read: the next Reader() starts after it.</summary>
    public void Commit(ref Utf8JsonReader reader)
    {
        start += (int)reader.BytesConsumed;
        Position += reader.BytesConsumed;
        state = reader.CurrentState;
    }

    /// <summary>Brings more of the body into the window; false when the body has ended.</summary>
    public bool More()
    {
        if (final)
        {
            return false;
        }
        if (start > 0)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buffer.Length)
        {
            if (buffer.Length >= MaxWindow)
            {
                throw new CadenceException(
                    $"The body holds a single value or contact larger than {MaxWindow / (1024 * 1024)} MiB (near byte {Position:N0}); no legal contact is that large.");
            }
            Array.Resize(ref buffer, buffer.Length * 2);
        }
        Fill();
        return true;
    }

    void Fill()
    {
        while (end < buffer.Length)
        {
            var read = stream.Read(buffer, end, buffer.Length - end);
            if (read == 0)
            {
                final = true;
                return;
            }
            end += read;
        }
    }

    /// <summary>A JSON error in the API's words: what was wrong and about where, without the parser's internal path.</summary>
    public CadenceException Invalid(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        }
        message = cut > 0 ? message[..cut] : message;
        return new CadenceException($"The body is not valid JSON (near byte {Position + (e.BytePositionInLine ?? 0):N0}): {TextCut.Cut(message, 200)}");
    }
}
