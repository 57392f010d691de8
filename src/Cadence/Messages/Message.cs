namespace Cadence.Messages;

/// <summary>A text to or from a contact. Outgoing ones pass through the outbox: queued → sending → sent → delivered.</summary>
public sealed class Message
{
    /// <summary>Assigned by the database in order of creation, so it doubles as the listing cursor.</summary>
    public long Id { get; set; }
    public Guid OrganizationId { get; set; }
    /// <summary>Null only for an inbound text from a number no team knows.</summary>
    public Guid? TeamId { get; set; }
    public Guid? ContactId { get; set; }

    /// <summary>outbound or inbound.</summary>
    public required string Direction { get; set; }
    public required string MobileNumber { get; set; }
    public required string Body { get; set; }
    public int Segments { get; set; }

    /// <summary>Where custom field values went into a sent text (<see cref="MergeSpans"/>); null on texts from before it was kept.</summary>
    public string? MergedFields { get; set; }
    public const int MaxMergedFieldsLength = 2000;

    /// <summary>queued, sending, sent, delivered, failed, undelivered; received for inbound.</summary>
    public required string Status { get; set; }
    public string? StatusReason { get; set; }
    public string? ProviderMessageId { get; set; }
    public Guid? CredentialId { get; set; }
    public string? StaffId { get; set; }
    public string? GroupAccountCode { get; set; }
    public Guid? ClaimToken { get; set; }
    public int Attempts { get; set; }

    /// <summary>A bulk send's text: it keeps the team's quiet hours.</summary>
    public bool Bulk { get; set; }

    /// <summary>Only the confirmation of an opt-out goes to a contact who has opted out.</summary>
    public bool IgnoresOptOut { get; set; }

    /// <summary>A queued text waits until then: a retry after the provider refused it for the moment, or a scheduled send.</summary>
    public DateTime? NotBefore { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    /// <summary>When a worker claimed it (still queued) or handed it to the provider (sending).</summary>
    public DateTime? SendingAt { get; set; }

    public MessageResponse AsResponse(string? departmentCode) => new(
        Id, Direction, Status, StatusReason, departmentCode, MobileNumber, Body, Segments, StaffId, GroupAccountCode, CreatedAt, UpdatedAt);
}

public static class MessageStatus
{
    public const string Queued = "queued";
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
    public const string Undelivered = "undelivered";
    public const string Received = "received";
}

public sealed record MessageResponse(
    long Id, string Direction, string Status, string? StatusReason, string? DepartmentCode, string MobileNumber,
    string MessageContent, int Segments, string? StaffId, string? GroupAccountCode, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>The answer given to a request with an Idempotency-Key, kept so that a retry gets it again and texts nobody.</summary>
public sealed class IdempotencyRecord
{
    public long Id { get; set; }
    public Guid CredentialId { get; set; }
    public required string Key { get; set; }
    public required string RequestHash { get; set; }
    public int StatusCode { get; set; }
    public required string ResponseBody { get; set; }
    public DateTime CreatedAt { get; set; }
}
