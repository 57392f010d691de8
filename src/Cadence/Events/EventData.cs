namespace Cadence.Events;

/// <summary>The `data` of contact.opted_out and contact.opted_in: what changed it (keyword, import, api or console).</summary>
public sealed record OptOutData(string Source);

/// <summary>The `data` of message.received: the text as it came in (the contact is absent for a number no team knows).</summary>
public sealed record MessageReceivedData(long MessageId, string MobileNumber, string Body);

/// <summary>The `data` of message.status_changed: sent, delivered, failed or undelivered, and why when it failed.</summary>
public sealed record MessageStatusData(long MessageId, string MobileNumber, string Status, string? Reason);

/// <summary>The `data` of import.completed: the batch's counts, as its report has them.</summary>
public sealed record ImportCompletedData(Guid BatchIdentifier, string Format, int Total, int Created, int Updated, int Unchanged, int Failed);

/// <summary>The `data` of credential.revoked: which key, by whom and why (never anything of the secret).</summary>
public sealed record CredentialRevokedData(string Key, string Name, string? RevokedBy, string? Reason, string[] Teams);
