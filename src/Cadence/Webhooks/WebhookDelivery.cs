using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cadence.Webhooks;

public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}

/// <summary>
/// One event on its way to one endpoint. It carries its own copy of the payload, so that the delivery log and a
/// resend outlive the event feed's retention; <see cref="WebhookId"/> is the event's id, the same on every try.
/// </summary>
public sealed class WebhookDelivery
{
    public long Id { get; set; }
    public Guid EndpointId { get; set; }
    public required string WebhookId { get; set; }
    public required string EventType { get; set; }
    public required string Payload { get; set; }
    public string Status { get; set; } = DeliveryStatus.Pending;
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }

    /// <summary>The worker holding it and until when: after a crash another worker takes it once the lease is over.</summary>
    public Guid? ClaimToken { get; set; }
    public DateTime? ClaimedUntil { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastAttemptAt { get; set; }
    public int? ResponseCode { get; set; }

    /// <summary>What went wrong on the last try (refused, timed out, the network) or the start of the receiver's answer.</summary>
    public string? ResponseText { get; set; }
}

sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> e)
    {
        e.ToTable("WebhookDeliveries");
        e.HasIndex(x => new { x.Status, x.NextAttemptAt });
        e.HasIndex(x => new { x.EndpointId, x.Id });
        e.Property(x => x.WebhookId).HasMaxLength(40);
        e.Property(x => x.EventType).HasMaxLength(40);
        e.Property(x => x.Status).HasMaxLength(16);
        e.Property(x => x.ResponseText).HasMaxLength(WebhookSender.KeptResponseLength);
        e.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(x => x.EndpointId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>How far the fan-out has read the event log, per organization. Locked while a dispatcher works.</summary>
public sealed class WebhookPosition
{
    public Guid OrganizationId { get; set; }

    /// <summary>The feed's cursor after the last event fanned out (<see cref="Events.EventCursor"/>: PostgreSQL's transaction id, 0 on SQLite, and the event id).</summary>
    public long AfterTransactionId { get; set; }
    public long AfterEventId { get; set; }

    public Events.EventCursor Cursor => new((ulong)AfterTransactionId, AfterEventId);
}

sealed class WebhookPositionConfiguration : IEntityTypeConfiguration<WebhookPosition>
{
    public void Configure(EntityTypeBuilder<WebhookPosition> e)
    {
        e.ToTable("WebhookPositions");
        e.HasKey(x => x.OrganizationId);
        e.Property(x => x.OrganizationId).ValueGeneratedNever();
        e.Ignore(x => x.Cursor);
        e.HasOne<Teams.Organization>().WithMany().HasForeignKey(x => x.OrganizationId);
    }
}
