using Cadence.Contacts;
using Cadence.Credentials;
using Cadence.Messages;
using Cadence.Teams;

namespace Cadence.Docs;

/// <summary>
/// The reference's examples, one campus throughout: team SS (Student Success), student Maria Lopez (P000123).
/// Built from the API's own request and response types, so an example cannot drift from the shape it shows.
/// </summary>
public static class Examples
{
    static readonly DateTime Now = new(2026, 9, 14, 13, 5, 0, DateTimeKind.Utc);
    static readonly Guid Batch = Guid.Parse("0199a5f2-7c3e-7b1a-9d41-5b2f8e6c1a07");
    const string Reminder = "Hi {FirstName}, your advising appointment is tomorrow at 10:00 in Hayes Hall. Reply STOP to opt out.";

    /// <summary>Path and query parameter values, by name.</summary>
    public static readonly Dictionary<string, string> Parameters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["departmentCode"] = "SS",
        ["mobileNumber"] = "716-555-0101",
        ["uniqueCampusId"] = "P000123",
        ["batchIdentifier"] = Batch.ToString(),
        ["id"] = "48213",
        ["limit"] = "100",
        ["cursor"] = "48212",
        ["updatedSince"] = "2026-09-01T00:00:00Z",
        ["since"] = "2026-09-14T00:00:00Z",
        ["status"] = "delivered",
        ["direction"] = "inbound",
        ["after"] = new Events.EventCursor(0, 7310).ToString(),
        ["type"] = "contact.opted_out",
    };

    public static readonly ContactRow MariaRow = new("P000123", "Maria", "Lopez", "716-555-0101", OptedOut: false, StaffId: "S0042",
        CustomFields: new Dictionary<string, string?> { ["Major"] = "Nursing", ["Advisor"] = "J. Chen" });

    public static readonly ContactResponse Maria = new("P000123", "Maria", "Lopez", "1-716-555-0101", false, "S0042",
        new Dictionary<string, string> { ["Major"] = "Nursing", ["Advisor"] = "J. Chen" }, Now.AddDays(-40), Now);

    public static readonly ImportBody Import = new(
    [
        MariaRow,
        new("P000124", "Devon", "Okafor", "(716) 555-0102", CustomFields: new Dictionary<string, string?> { ["Major"] = "Biology", ["Advisor"] = null }),
        new("P000125", "Aisha", "Rahman", "716-555-010"),
    ], NotificationEmail: "registrar@college.edu");

    public static readonly ImportReport Report = new(Batch, "SS", "registrar@college.edu", "completed", 3, 1, 1, 0, 1,
        [new RowError(3, "P000125", "mobileNumber", "'716-555-010' is not a mobile number: " + PhoneNumber.Rule + ".")], false, [], Now);

    public static readonly ContactPage ContactList = new([Maria], "MTcyNjMxOTEwMDAwMDAwMDB8UDAwMDEyMw");

    public static readonly TeamResponse Team = new("SS", "Student Success", "America/New_York");

    public static readonly CredentialSelfResponse Self = new("cdk_7Hq2LmN9vR4sT8wXyZ1aB3cD", "Banner nightly import",
        [Scope.ContactsRead, Scope.ContactsWrite, Scope.MessagesSend], ["SS"], new DateTime(2027, 9, 1, 0, 0, 0, DateTimeKind.Utc), 10);

    public static readonly CustomFieldResponse[] Fields = [new("Major", false, true, false), new("Advisor", false, false, true)];

    public static readonly NewCustomFieldRequest NewField = new("Major", Required: false, Mergeable: true, HiddenFromStaff: false);

    public static readonly CreateAndSendRequest Text = new("SS", Reminder, MobileNumber: "716-555-0101", StaffId: "S0042");

    public static readonly MessageResponse Sent = new(48213, "outbound", "queued", null, "SS", "1-716-555-0101",
        "Hi Maria, your advising appointment is tomorrow at 10:00 in Hayes Hall. Reply STOP to opt out.", 1, "S0042", null, Now, Now);

    public static readonly MessageResponse Reply = new(48214, "inbound", "received", null, "SS", "1-716-555-0101",
        "Can we move it to 11?", 1, null, null, Now.AddMinutes(4), Now.AddMinutes(4));

    public static readonly BulkSendRequest Bulk = new("SS", "Spring registration opens Monday at 8:00. Reply STOP to opt out.",
        [new Recipient("716-555-0101", null), new Recipient(null, "P000124"), new Recipient("716-555-0199", null)]);

    public static readonly BulkResult Queued = new(2, 0, [new SkippedRecipient("716-555-0199", "Team SS has no contact 1-716-555-0199.")], [], [], Now);

    public static readonly MessagePage Conversation = new([Reply, Sent], "48213");

    public static readonly RevokeSecretsRequest Revoke = new(["cds_PASTE_THE_LEAKED_SECRET_HERE"]);

    public static readonly object Revoked = new { Message = "Every secret presented that still worked has stopped working." };

    public static readonly Health.HealthResponse Healthy = new("ok");

    public static readonly SimulatedText[] SimulatedTexts =
        [new(48213, "SS", "Hi Maria, your advising appointment is tomorrow at 10:00 in Hayes Hall. Reply STOP to opt out.", "delivered", Now)];

    static readonly Events.EventContact MariaInEvents = new("P000123", "Maria", "Lopez", "1-716-555-0101");

    public static readonly object EventFeed = new
    {
        Events = new Events.EventBody[]
        {
            new("evt_2Hq7cXk1mR9bT4vLw8ZpNa3Y", Events.EventTypes.MessageReceived, Now.AddMinutes(6), "SS", MariaInEvents,
                new Events.MessageReceivedData(48215, "1-716-555-0101", "STOP")),
            new("evt_9sKd3LqP0wZx7YbN2cVt5RmA", Events.EventTypes.ContactOptedOut, Now.AddMinutes(6), "SS", MariaInEvents, new Events.OptOutData("keyword")),
        },
        NextCursor = new Events.EventCursor(0, 7312).ToString(),
    };

    public static readonly SimulatorReply StudentReply = new("716-555-0101", "STOP");
}
