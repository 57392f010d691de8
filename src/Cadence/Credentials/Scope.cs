namespace Cadence.Credentials;

/// <summary>What a credential may do. A credential created without scopes gets all of them.</summary>
public static class Scope
{
    public const string ContactsRead = "contacts:read";
    public const string ContactsWrite = "contacts:write";
    public const string MessagesSend = "messages:send";
    public const string MessagesRead = "messages:read";

    public static readonly string[] All = [ContactsRead, ContactsWrite, MessagesSend, MessagesRead];

    public static string[] Split(string scopes) => scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Checks and normalises requested scopes; an empty request means all scopes.</summary>
    public static string Normalize(IEnumerable<string> requested)
    {
        var scopes = requested.Select(s => s.Trim().ToLowerInvariant()).Where(s => s.Length > 0).Distinct().ToList();
        var unknown = scopes.Where(s => !All.Contains(s)).ToList();
        if (unknown.Count > 0)
        {
            throw new CadenceException($"Unknown scope '{unknown[0]}'. Scopes are: {string.Join(", ", All)}.");
        }
        return string.Join(' ', (scopes.Count == 0 ? All : All.Where(scopes.Contains)));
    }
}
