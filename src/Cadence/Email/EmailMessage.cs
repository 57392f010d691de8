using Cadence.Teams;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cadence.Email;

/// <summary>
/// One email in the durable outbox, written in the same transaction as what it reports (an import, an opt-out,
/// an unknown number's text) and sent later by <see cref="EmailSender"/>. One row per recipient, so that each is
/// retried on its own and no recipient sees another's address.
/// </summary>
public sealed class EmailMessage
{
    public const int MaxSubject = 200;
    public const int MaxBody = 16_000;

    /// <summary>1,000 row errors of bounded length fit well inside this; the builder stops adding rows before it.</summary>
    public const int MaxAttachment = 2 * 1024 * 1024;

    public long Id { get; set; }
    public Guid OrganizationId { get; set; }
    public Guid? TeamId { get; set; }

    /// <summary>import_report, opt_out or unknown_number.</summary>
    public required string Kind { get; set; }
    public required string To { get; set; }
    public required string Subject { get; set; }
    public required string Body { get; set; }
    public string? AttachmentName { get; set; }
    public byte[]? Attachment { get; set; }

    public string Status { get; set; } = EmailStatus.Queued;
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public Guid? ClaimToken { get; set; }
    public DateTime? ClaimedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? SentAt { get; set; }
}

public static class EmailStatus
{
    public const string Queued = "queued";
    public const string Sent = "sent";
    public const string Failed = "failed";
}

public sealed class EmailMessageConfiguration : IEntityTypeConfiguration<EmailMessage>
{
    public void Configure(EntityTypeBuilder<EmailMessage> e)
    {
        e.HasIndex(m => new { m.Status, m.NextAttemptAt });
        e.HasIndex(m => m.ClaimToken);
        e.Property(m => m.Kind).HasMaxLength(32);
        e.Property(m => m.To).HasMaxLength(EmailAddress.MaxLength);
        e.Property(m => m.Subject).HasMaxLength(EmailMessage.MaxSubject);
        e.Property(m => m.Body).HasMaxLength(EmailMessage.MaxBody);
        e.Property(m => m.AttachmentName).HasMaxLength(64);
        e.Property(m => m.Status).HasMaxLength(16);
        e.Property(m => m.LastError).HasMaxLength(500);
        e.HasOne<Organization>().WithMany().HasForeignKey(m => m.OrganizationId);
    }
}
