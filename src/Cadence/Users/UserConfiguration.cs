using Cadence.Teams;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cadence.Users;

sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> e)
    {
        e.HasIndex(u => new { u.OrganizationId, u.Email }).IsUnique();
        e.HasIndex(u => new { u.OrganizationId, u.StaffId }).IsUnique();
        e.Property(u => u.Email).HasMaxLength(254);
        e.Property(u => u.StaffId).HasMaxLength(64);
        e.Property(u => u.PasswordHash).HasMaxLength(200);
        e.Property(u => u.Name).HasMaxLength(200).HasDefaultValue("");
        e.HasOne<Organization>().WithMany().HasForeignKey(u => u.OrganizationId);
        e.HasMany(u => u.Memberships).WithOne().HasForeignKey(m => m.UserId);
    }
}

sealed class TeamMembershipConfiguration : IEntityTypeConfiguration<TeamMembership>
{
    public void Configure(EntityTypeBuilder<TeamMembership> e)
    {
        e.HasKey(m => new { m.UserId, m.TeamId });
        e.Property(m => m.Role).HasConversion<string>().HasMaxLength(16);
        e.HasOne<Team>().WithMany().HasForeignKey(m => m.TeamId);
    }
}
