using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cadence.Audit;

sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> e)
    {
        e.HasIndex(a => new { a.OrganizationId, a.At });
        e.Property(a => a.Actor).HasMaxLength(300);
        e.Property(a => a.Action).HasMaxLength(64);
        e.Property(a => a.Target).HasMaxLength(300);
        e.Property(a => a.Detail).HasMaxLength(2000);
        e.Property(a => a.IpAddress).HasMaxLength(64);
        // Its organization's foreign key is configured by Teams' OrganizationConfiguration: Audit knows no folder above it.
    }
}
