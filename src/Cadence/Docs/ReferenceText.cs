namespace Cadence.Docs;

/// <summary>The reference's prose: the introduction (Assets/introduction.md) and what each tag's calls are for.</summary>
public static class ReferenceText
{
    // The events section (shapes, the feed, verifying webhook signatures) follows the introduction's own sections.
    public static string Introduction { get; } = DocsAssets.Text("introduction.md").TrimEnd() + "\n\n" + DocsAssets.Text("events.md");

    public static string? Tag(string? name) => name switch
    {
        "Contacts" => "Students and prospects of a team: import them in bulk, upsert, look up, list changes, and the team's custom fields.",
        "Messages" => "Text one contact or many, and read messages (outgoing and replies) with their delivery status.",
        "Teams" => "The teams (departments) a credential may use.",
        "Credentials" => "The calling credential, and the leak response: revoke secrets by presenting them.",
        "Health" => "Liveness and readiness for load balancers and monitoring, and a ping to test a credential.",
        "Simulator" => "Only while the SMS provider is the simulator: see the texts it took and reply as a student.",
        "Events" => "What happened, oldest first: opt-outs, replies, delivery statuses, imports, revoked credentials. See Events above for each type's shape.",
        "Twilio" => "Webhooks Twilio calls, signed with X-Twilio-Signature. Not for campus scripts.",
        _ => null,
    };
}
