using Cadence.Teams;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cadence.Messages;

sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> e)
    {
        e.HasIndex(m => new { m.Status, m.CreatedAt });
        e.HasIndex(m => new { m.TeamId, m.CreatedAt });
        e.HasIndex(m => new { m.MobileNumber, m.CreatedAt });
        e.HasIndex(m => new { m.CredentialId, m.CreatedAt });
        e.HasIndex(m => m.ClaimToken);
        e.Property(m => m.Direction).HasMaxLength(8);
        e.Property(m => m.MobileNumber).HasMaxLength(32);
        e.Property(m => m.Body).HasMaxLength(2000);
        e.Property(m => m.Status).HasMaxLength(16);
        e.Property(m => m.StatusReason).HasMaxLength(300);
        e.Property(m => m.ProviderMessageId).HasMaxLength(64);
        e.Property(m => m.StaffId).HasMaxLength(64);
        e.Property(m => m.GroupAccountCode).HasMaxLength(64);
        e.Property(m => m.MergedFields).HasMaxLength(Message.MaxMergedFieldsLength); // the inbox: what staff may see
        e.HasIndex(m => new { m.TeamId, m.ContactId, m.Id }); // the inbox: a team's conversations
        e.HasOne<Organization>().WithMany().HasForeignKey(m => m.OrganizationId);
        e.HasOne<Team>().WithMany().HasForeignKey(m => m.TeamId);
    }
}

sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> e)
    {
        e.HasIndex(r => new { r.CredentialId, r.Key }).IsUnique();
        e.HasIndex(r => r.CreatedAt);
        e.Property(r => r.Key).HasMaxLength(255);
        e.Property(r => r.RequestHash).HasMaxLength(64);
    }
}
