using Cadence.Teams;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cadence.Users;

sealed class ConsoleSessionConfiguration : IEntityTypeConfiguration<ConsoleSession>
{
    public void Configure(EntityTypeBuilder<ConsoleSession> e)
    {
        e.HasIndex(s => s.UserId);
        e.Property(s => s.IpAddress).HasMaxLength(64);
        e.HasOne<User>().WithMany().HasForeignKey(s => s.UserId);
    }
}

sealed class SetupTokenConfiguration : IEntityTypeConfiguration<SetupToken>
{
    public void Configure(EntityTypeBuilder<SetupToken> e)
    {
        e.HasIndex(t => t.TokenHash).IsUnique();
        e.Property(t => t.TokenHash).HasMaxLength(64);
        e.HasOne<Organization>().WithMany().HasForeignKey(t => t.OrganizationId);
    }
}
