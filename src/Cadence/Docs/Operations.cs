using Cadence.Contacts;
using Cadence.Messages;
using static Cadence.Docs.Examples;

namespace Cadence.Docs;

/// <summary>
/// The reference's facts per call, keyed by method and route pattern as the OpenAPI document writes it: what no
/// signature says (operation id, examples, the problem codes a call can answer, notes). The success status and
/// schema come from each handler's signature. Kept in one table rather than beside each endpoint, so the reference
/// reads as one document and ApiDocumentTests can name a call that has none.
/// </summary>
public static class Operations
{
    static readonly Dictionary<string, OperationFacts> Table = new(StringComparer.OrdinalIgnoreCase)
    {
        ["GET /healthz"] = new("GetHealth", "Liveness") { Example = Healthy, Notes = "Liveness: answers without touching the database. No credential." },
        ["GET /readyz"] = new("GetReadiness", "Readiness")
        {
            Example = Healthy, Errors = ["database_unreachable"],
            Notes = "Readiness: 200 once the database answers, 503 while it does not. No credential.",
        },
        ["GET /v2/ping"] = new("Ping", "Ping with a credential") { Example = Healthy, Notes = "The same answer as /healthz behind a credential: do my key and secret work?" },
        ["GET /v2/credentials/self"] = new("GetCredential", "Get the calling credential") { Example = Self },
        ["POST /v2/credentials/revoke"] = new("RevokeSecrets", "Revoke leaked secrets")
        {
            Request = Revoke, Example = Revoked, Errors = ["invalid_request", "unsupported_media_type", "too_large", "auth_throttled"],
            Notes = "No credential needed: the secrets are the proof. At most 100 per request. A current secret revokes its credential; " +
                "a previous secret still in its grace period stops at once. The answer is the same whatever matched.",
        },
        ["GET /v2/teams"] = new("ListTeams", "List teams") { Example = new[] { Team } },
        ["GET /v2/teams/{departmentCode}"] = new("GetTeam", "Get a team") { Example = Team },
        ["GET /v2/teams/{departmentCode}/fields"] = new("ListCustomFields", "List custom fields") { Example = Fields },
        ["POST /v2/teams/{departmentCode}/fields"] = new("CreateCustomField", "Define a custom field")
        {
            Request = NewField, Example = Fields[0], Errors = ["invalid_request", "unsupported_media_type", "conflict"],
        },
        ["POST /v2/contacts/{departmentCode}/import"] = new("Import", "Import contacts")
        {
            Request = Import, Example = Report, Errors = ["invalid_request", "invalid_text", "unsupported_media_type", "too_large", "imports_busy", "upload_too_slow", "conflict"],
            Notes = "The hosted v2 call. Send `application/json` as shown, or a `text/csv` (or `text/tab-separated-values`) file whose header row names " +
                "the columns (UniqueCampusId, FirstName, LastName, MobileNumber, OptedOut, StaffId and the team's custom fields). Contacts are matched " +
                "by uniqueCampusId; each bad row is reported in `errors` and the others are imported. At most 100,000 contacts per request.",
        },
        ["GET /v2/contacts/{departmentCode}/import/{batchIdentifier}"] = new("GetImport", "Get an import's report") { Example = Report, Errors = ["invalid_batch_identifier", "batch_not_found"] },
        ["GET /v2/Imports/{batchIdentifier}"] = new("GetImportBatch", "Get an import's report by batch") { Example = Report, Errors = ["invalid_batch_identifier", "batch_not_found"] },
        ["GET /v2/contacts/{departmentCode}"] = new("ListContacts", "List contacts")
        {
            Example = ContactList, Query = "limit=100&updatedSince=2026-09-01T00:00:00Z", Errors = ["invalid_request"],
            Notes = "Pass the `nextCursor` of one page as `cursor` to get the next; it is null on the last page.",
        },
        ["GET /v2/contacts/{departmentCode}/{mobileNumber}"] = new("GetContact", "Get a contact by mobile number")
        {
            Example = Maria, Errors = ["invalid_mobile_number", "contact_not_found"],
            Notes = "The number in any accepted form: 716-555-0101, (716) 555-0101, 7165550101 or 17165550101.",
        },
        ["GET /v2/contacts/{departmentCode}/by-id/{uniqueCampusId}"] = new("GetContactById", "Get a contact by campus id") { Example = Maria, Errors = ["contact_not_found"] },
        ["POST /v2/contacts/{departmentCode}"] = new("UpsertContact", "Create or update a contact")
        {
            Request = MariaRow, Example = Maria, Errors = ["invalid_contact", "invalid_request", "invalid_text", "unsupported_media_type", "too_large", "conflict"],
            Notes = "Creates the contact, or updates the one with this uniqueCampusId; 200 either way.",
        },
        ["DELETE /v2/contacts/{departmentCode}/{mobileNumber}"] = new("DeleteContact", "Delete a contact by mobile number") { Errors = ["invalid_mobile_number", "contact_not_found"] },
        ["DELETE /v2/contacts/{departmentCode}/by-id/{uniqueCampusId}"] = new("DeleteContactById", "Delete a contact by campus id") { Errors = ["contact_not_found"] },
        ["POST /v2/messages/CreateAndSend"] = new("CreateAndSend", "Text one contact")
        {
            Request = Text, Example = Sent,
            Errors = ["invalid_request", "invalid_mobile_number", "invalid_text", "unsupported_media_type", "too_large", "team_not_granted", "team_not_found", "not_found",
                "opted_out", "unprocessable", "daily_cap_reached"],
            Notes = "The hosted v2 call. Name the contact by mobileNumber or uniqueCampusId. {FirstName}, {LastName} and the team's mergeable custom fields " +
                "are filled in from the contact. The text is queued and sent by the delivery worker; read its status with GetMessage. " +
                "Send an `Idempotency-Key` header to retry safely: a retry with the same key and body gets the first answer and texts nobody.",
        },
        ["POST /v2/messages/bulk"] = new("SendBulk", "Text many contacts")
        {
            Request = Bulk, Example = Queued, Errors = ["invalid_request", "invalid_text", "unsupported_media_type", "too_large", "team_not_granted", "team_not_found",
                "unprocessable", "daily_cap_reached"],
            Notes = "Each contact is texted once. Bulk texts keep the team's quiet hours (22:00–06:00 in its time zone): `sendsFrom` says when sending starts.",
        },
        ["GET /v2/messages/{id}"] = new("GetMessage", "Get a message") { Example = Sent, Errors = ["message_not_found"] },
        ["GET /v2/messages"] = new("ListMessages", "List messages")
        {
            Example = Conversation, Query = "departmentCode=SS&since=2026-09-14T00:00:00Z&direction=inbound",
            Errors = ["invalid_request", "invalid_mobile_number", "department_code_required", "team_not_granted", "team_not_found"],
            Notes = "Pass the `nextCursor` of one page as `cursor` to get the next; it is null on the last page.",
        },
        ["GET /v2/events"] = new("ListEvents", "Read the event feed")
        {
            Example = EventFeed, Query = "type=contact.opted_out&type=contact.opted_in&limit=100",
            Errors = ["invalid_cursor", "invalid_limit", "unknown_event_type", "scope_missing", "team_not_granted", "team_not_found"],
            Notes = "Oldest first. Pass each page's `nextCursor` as `after` to read on (it is always given, so a poller keeps the last one); no event is " +
                "skipped or repeated while others are written. Needs `contacts:read` for contact and import events, `messages:read` for message events " +
                "(either for credential.revoked). See Events above for each type's shape.",
        },
        ["GET /simulator/api/messages"] = new("ListSimulatedTexts", "List simulated texts") { Example = SimulatedTexts, Query = "mobileNumber=716-555-0101", Errors = ["invalid_request", "simulator_off"] },
        ["POST /simulator/api/reply"] = new("SimulateReply", "Reply as a student") { Request = StudentReply, Example = Reply with { MessageContent = "STOP" }, Errors = ["invalid_request", "simulator_off", "simulator_rate_limited", "simulator_stop_limit"] },
        ["POST /webhooks/twilio/status"] = new("TwilioStatusCallback", "Twilio status callback") { NoSamples = true, Notes = "Called by Twilio, signed with X-Twilio-Signature." },
        ["POST /webhooks/twilio/inbound"] = new("TwilioInbound", "Twilio inbound text") { NoSamples = true, Notes = "Called by Twilio, signed with X-Twilio-Signature." },
    };

    /// <summary>The facts for a call, by its method and the document's path ("/v2/messages/{id}"); null when the table lacks it.</summary>
    public static OperationFacts? Find(string method, string path) => Table.GetValueOrDefault($"{method.ToUpperInvariant()} {path}");
}
