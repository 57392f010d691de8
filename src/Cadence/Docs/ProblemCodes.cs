namespace Cadence.Docs;

/// <summary>One problem-details code a call can answer: its status, title and a typical detail.</summary>
public sealed record ProblemCode(string Code, int Status, string Title, string Detail)
{
    /// <summary>How the table names it: the code, or a name for one use of a general code (opted_out is a "conflict").</summary>
    public string Key { get; init; } = Code;
}

/// <summary>The codes of the client API's problem details, for the reference (the server's own texts, shortened).</summary>
public static class ProblemCodes
{
    static readonly ProblemCode[] All =
    [
        new("credentials_missing", 401, "Authentication required", "Send your API key and secret with HTTP Basic authentication (curl -u KEY:SECRET) or in the X-Api-Key and X-Api-Secret headers."),
        new("credentials_malformed", 401, "Malformed credentials", "Use HTTP Basic authentication: Authorization: Basic base64(key:secret)."),
        new("credentials_invalid", 401, "Invalid credentials", "The API key or secret is not valid."),
        new("credential_revoked", 401, "Credential revoked", "This API credential was revoked at 2026-09-10 16:20:00Z and no longer works. Ask an administrator for a new one."),
        new("credential_expired", 401, "Credential expired", "This API credential expired at 2026-09-01 00:00:00Z. Ask an administrator for a new one."),
        new("secret_superseded", 401, "Secret replaced", "This secret was replaced by a new one at 2026-09-10 16:20:00Z and its grace period is over. Use the new secret."),
        new("credentials_in_url", 400, "Credentials in the URL", "Send credentials in request headers, never in the URL, where they end up in logs and browser history. If a real secret was sent this way, roll it."),
        new("auth_throttled", 429, "Too many failed attempts", "Too many failed authentication attempts from your address. Try again in 60 seconds."),
        new("rate_limited", 429, "Rate limit exceeded", "This credential may make 10 requests per second. Slow down and retry after the time in Retry-After."),
        new("scope_missing", 403, "Forbidden", "This credential does not have the scope 'contacts:write'."),
        new("team_not_granted", 403, "Forbidden", "This credential may not use team 'SS'."),
        new("team_not_found", 404, "Not found", "There is no team 'SS'."),
        new("invalid_request", 400, "Invalid request", "The body is not valid JSON: '}' is invalid after a value."),
        new("invalid_text", 400, "Invalid request", "The request holds a character that cannot be stored (U+0000, the NUL character). Remove it and send again."),
        new("invalid_mobile_number", 400, "Invalid mobile number", "'716-555-010' is not a mobile number: a mobile number has 10 digits (any of 716-555-0101, (716) 555-0101, 716.555.0101) or 11 starting with 1."),
        new("invalid_contact", 400, "Invalid contact", "mobileNumber is required."),
        new("unsupported_media_type", 415, "Unsupported media type", "Send JSON with Content-Type: application/json, not text/plain."),
        new("too_large", 413, "Too large", "The request body is larger than this call accepts."),
        new("conflict", 409, "Conflict", "Another request changed the same records at the same time. Try again."),
        new("contact_not_found", 404, "Not found", "Team SS has no contact 1-716-555-0101."),
        new("invalid_batch_identifier", 400, "Invalid batch identifier", "A batchIdentifier is the id an import answered with, such as 0193f1d2-7c4e-7b3a-9a51-2f6c1e0d4b8a."),
        new("department_code_required", 400, "Invalid request", "A uniqueCampusId names a contact within a team: add departmentCode."),
        new("batch_not_found", 404, "Not found", "Team SS has no import 0199a5f2-7c3e-7b1a-9d41-5b2f8e6c1a07."),
        new("imports_busy", 429, "Too many requests", "4 imports are already running on this server. Retry in a minute."),
        new("upload_too_slow", 408, "Request timeout", "The upload arrived slower than 8 KiB/s; it was stopped. Send the import over a faster link."),
        new("not_found", 404, "Not found", "Team SS has no contact P000123."),
        new("conflict", 409, "Conflict", "Contact P000123 has opted out of texts from team SS; Cadence will not text them.") { Key = "opted_out" },
        new("unprocessable", 422, "Unprocessable", "Contact P000123 has no value for {Major}, so the text was not sent."),
        new("daily_cap_reached", 429, "Too many requests", "This credential may trigger 10,000 texts a day (UTC); it has 10,000 today. Ask an administrator if you need more."),
        new("message_not_found", 404, "Not found", "There is no message 48213."),
        new("simulator_off", 404, "Not found", "The SMS simulator is not the provider of this server."),
        new("invalid_cursor", 400, "Invalid request", "after is not a cursor this server gave out (a nextCursor); leave it out to start from the oldest event."),
        new("invalid_limit", 400, "Invalid request", "limit is 1 to 1000."),
        new("unknown_event_type", 400, "Invalid request", "There is no event type 'contact.updated'. Types are: contact.opted_out, contact.opted_in, message.received, message.status_changed, import.completed, credential.revoked."),
        new("simulator_rate_limited", 429, "Too many requests", "The simulator takes 60 replies a minute from one credential. Try again in a minute."),
        new("simulator_stop_limit", 409, "Conflict", "The simulator already holds 1,000 STOPs from numbers that are no contact; it records no more. Reply from a contact's number, or START from one of those numbers to clear it."),
        new("database_unreachable", 503, "Not ready", "The database cannot be reached."),
    ];

    static readonly Dictionary<string, ProblemCode> ByCode = All.ToDictionary(p => p.Key);

    /// <summary>What any call that needs a credential can answer, before it runs.</summary>
    public static readonly string[] Credential =
        ["credentials_missing", "credentials_malformed", "credentials_invalid", "credential_revoked", "credential_expired", "secret_superseded",
         "credentials_in_url", "auth_throttled", "rate_limited"];

    public static ProblemCode Get(string code) =>
        ByCode.TryGetValue(code, out var found) ? found : throw new InvalidOperationException($"The reference has no problem code '{code}'.");
}
