using Cadence.Data;
using Cadence.Teams;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cadence.Events;

/// <summary>
/// Something that happened that a campus system may want to hear about. Written in the transaction of the change
/// it describes (an outbox), so it is never lost and never invented; read by the feed and fanned out to webhooks.
/// </summary>
public sealed class Event
{
    /// <summary>Assigned by the database in order of insertion; the feed's cursor is built on it.</summary>
    public long Id { get; set; }

    /// <summary>"evt_" and 24 base62 characters: the event's id in the feed and the `webhook-id` of its deliveries.</summary>
    public required string PublicId { get; set; }
    public Guid OrganizationId { get; set; }

    /// <summary>Null only for an event of no team (an all-teams credential revoked, a text from a number no team knows).</summary>
    public Guid? TeamId { get; set; }
    public required string Type { get; set; }
    public DateTime OccurredAt { get; set; }

    /// <summary>The whole event as JSON, exactly as the feed returns it and webhooks deliver it; written once.</summary>
    public required string Payload { get; set; }
}

public static class EventTypes
{
    public const string ContactOptedOut = "contact.opted_out";
    public const string ContactOptedIn = "contact.opted_in";
    public const string MessageReceived = "message.received";
    public const string MessageStatusChanged = "message.status_changed";
    public const string ImportCompleted = "import.completed";
    public const string CredentialRevoked = "credential.revoked";

    public static readonly IReadOnlyList<string> All =
        [ContactOptedOut, ContactOptedIn, MessageReceived, MessageStatusChanged, ImportCompleted, CredentialRevoked];
}

sealed class EventConfiguration : IEntityTypeConfiguration<Event>, IPostgresModel
{
    /// <summary>PostgreSQL only: the writing transaction's id, which orders the feed there (see EventFeed).</summary>
    public const string TransactionId = "TransactionId";

    public void Configure(EntityTypeBuilder<Event> e)
    {
        e.HasIndex(x => x.PublicId).IsUnique();
        e.HasIndex(x => new { x.OrganizationId, x.Id });
        e.HasIndex(x => x.OccurredAt);
        e.Property(x => x.PublicId).HasMaxLength(28);
        e.Property(x => x.Type).HasMaxLength(40);
        e.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId);
    }

    /// <summary>Applied by PostgresCadenceDb: a column SQLite neither has nor needs.</summary>
    public void ConfigurePostgres(ModelBuilder model)
    {
        var e = model.Entity<Event>();
        e.Property<ulong>(TransactionId).HasColumnType("xid8").HasDefaultValueSql("pg_current_xact_id()").ValueGeneratedOnAdd();
        e.HasIndex(TransactionId, nameof(Event.Id));
    }
}
