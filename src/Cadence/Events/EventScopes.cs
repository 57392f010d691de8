using Cadence.Authentication;
using Cadence.Credentials;

namespace Cadence.Events;

/// <summary>Which read scope covers which event types.</summary>
public static class EventScopes
{
    public static string? Covering(string type) => type switch
    {
        EventTypes.MessageReceived or EventTypes.MessageStatusChanged => Scope.MessagesRead,
        EventTypes.CredentialRevoked => null, // either read scope
        _ => Scope.ContactsRead,
    };

    /// <summary>
    /// The types the caller may read of those requested (null: all). Asking for a type outside its scopes is a 403,
    /// as every other call without its scope is; a credential with neither read scope may not read the feed at all.
    /// </summary>
    public static IReadOnlyCollection<string> Allowed(ApiCaller caller, IReadOnlyCollection<string>? requested)
    {
        if (!caller.Scopes.Contains(Scope.ContactsRead) && !caller.Scopes.Contains(Scope.MessagesRead))
        {
            throw new CadenceException($"This credential does not have the scope '{Scope.ContactsRead}' or '{Scope.MessagesRead}'.",
                StatusCodes.Status403Forbidden, "scope_missing");
        }
        if (requested is null)
        {
            return [.. EventTypes.All.Where(t => Covering(t) is not { } scope || caller.Scopes.Contains(scope))];
        }
        foreach (var type in requested)
        {
            if (Covering(type) is { } scope && !caller.Scopes.Contains(scope))
            {
                throw new CadenceException($"This credential does not have the scope '{scope}', which {type} events need.",
                    StatusCodes.Status403Forbidden, "scope_missing");
            }
        }
        return requested;
    }
}
