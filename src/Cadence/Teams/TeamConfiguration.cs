using Cadence.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cadence.Teams;

sealed class OrganizationConfiguration : IEntityTypeConfiguration<Organization>
{
    public void Configure(EntityTypeBuilder<Organization> e)
    {
        e.Property(o => o.Name).HasMaxLength(200);
        e.Property(o => o.PepperCheck).HasMaxLength(64);
        // The audit log's foreign key, set from this side: Audit sits below Teams and knows no Organization.
        e.HasMany<AuditEvent>().WithOne().HasForeignKey(a => a.OrganizationId);
    }
}

sealed class TeamConfiguration : IEntityTypeConfiguration<Team>
{
    public void Configure(EntityTypeBuilder<Team> e)
    {
        e.HasIndex(t => new { t.OrganizationId, t.DepartmentCode }).IsUnique();
        e.Property(t => t.DepartmentCode).HasMaxLength(16);
        e.Property(t => t.Name).HasMaxLength(200);
        e.Property(t => t.TimeZone).HasMaxLength(64).HasDefaultValue(Team.DefaultTimeZone);
        e.HasOne<Organization>().WithMany().HasForeignKey(t => t.OrganizationId);
    }
}
