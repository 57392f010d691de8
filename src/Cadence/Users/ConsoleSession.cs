namespace Cadence.Users;

/// <summary>
/// A signed-in browser. The cookie names the session; the row decides whether it still counts, so
/// signing out, disabling the user or a stolen cookie after sign-out ends it on every node.
/// </summary>
public sealed class ConsoleSession
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? EndedAt { get; set; }
    public string? IpAddress { get; set; }
}

/// <summary>The one-time link that creates the organization's first owner; only its SHA-256 is stored.</summary>
public sealed class SetupToken
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public required string TokenHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? UsedAt { get; set; }
}
