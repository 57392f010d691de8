using Cadence.Teams;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cadence.Contacts;

sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> e)
    {
        e.HasIndex(c => new { c.TeamId, c.UniqueCampusId }).IsUnique();
        e.HasIndex(c => new { c.TeamId, c.MobileNumber }).IsUnique();
        e.HasIndex(c => new { c.TeamId, c.UpdatedAt, c.UniqueCampusId });
        e.Property(c => c.UniqueCampusId).HasMaxLength(ContactRules.MaxIdLength);
        e.Property(c => c.FirstName).HasMaxLength(ContactRules.MaxNameLength);
        e.Property(c => c.LastName).HasMaxLength(ContactRules.MaxNameLength);
        e.Property(c => c.MobileNumber).HasMaxLength(14);
        e.Property(c => c.StaffId).HasMaxLength(64);
        e.HasOne<Team>().WithMany().HasForeignKey(c => c.TeamId);
    }
}

sealed class OptOutChangeConfiguration : IEntityTypeConfiguration<OptOutChange>
{
    public void Configure(EntityTypeBuilder<OptOutChange> e)
    {
        // No foreign key to the contact: the record of a change outlives a deleted contact (PRODUCT §5).
        e.HasIndex(o => new { o.ContactId, o.At });
        e.Property(o => o.Source).HasMaxLength(16);
    }
}

sealed class NumberOptOutConfiguration : IEntityTypeConfiguration<NumberOptOut>
{
    public void Configure(EntityTypeBuilder<NumberOptOut> e)
    {
        e.HasKey(o => new { o.OrganizationId, o.TeamId, o.MobileNumber });
        e.Property(o => o.MobileNumber).HasMaxLength(14);
        e.Property(o => o.Source).HasMaxLength(16);
        e.HasOne<Organization>().WithMany().HasForeignKey(o => o.OrganizationId);
    }
}

sealed class CustomFieldConfiguration : IEntityTypeConfiguration<CustomField>
{
    public void Configure(EntityTypeBuilder<CustomField> e)
    {
        e.HasIndex(f => new { f.TeamId, f.Name }).IsUnique();
        e.Property(f => f.Name).HasMaxLength(40);
        e.HasOne<Team>().WithMany().HasForeignKey(f => f.TeamId);
    }
}

sealed class ImportBatchConfiguration : IEntityTypeConfiguration<ImportBatch>
{
    public void Configure(EntityTypeBuilder<ImportBatch> e)
    {
        e.HasIndex(b => new { b.TeamId, b.CreatedAt });
        e.Property(b => b.NotificationEmail).HasMaxLength(254);
        e.Property(b => b.Format).HasMaxLength(8);
        e.Property(b => b.CreatedBy).HasMaxLength(300);
        e.HasOne<Team>().WithMany().HasForeignKey(b => b.TeamId);
    }
}
