namespace Cadence.Audit;

/// <summary>One thing someone did to credentials or users: who, what, when, from where.</summary>
public sealed class AuditEvent
{
    public long Id { get; set; }
    public Guid OrganizationId { get; set; }
    public DateTime At { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public required string Target { get; set; }
    public string? Detail { get; set; }
    public string? IpAddress { get; set; }
}
