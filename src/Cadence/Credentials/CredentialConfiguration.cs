using Cadence.Teams;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cadence.Credentials;

sealed class CredentialConfiguration : IEntityTypeConfiguration<Credential>
{
    public void Configure(EntityTypeBuilder<Credential> e)
    {
        e.HasIndex(c => c.Key).IsUnique();
        e.HasIndex(c => c.SecretHash);
        e.HasIndex(c => c.UpdatedAt);
        e.HasIndex(c => new { c.OrganizationId, c.CreatedAt });
        e.Property(c => c.Name).HasMaxLength(Credential.MaxNameLength);
        e.Property(c => c.Key).HasMaxLength(SecretFormat.KeyLength);
        e.Property(c => c.SecretHash).HasMaxLength(SecretHasher.HashLength);
        e.Property(c => c.PreviousSecretHash).HasMaxLength(SecretHasher.HashLength);
        e.Property(c => c.Scopes).HasMaxLength(200);
        e.Property(c => c.CreatedBy).HasMaxLength(300);
        e.Property(c => c.RevokedBy).HasMaxLength(300);
        e.Property(c => c.RevokedReason).HasMaxLength(Credential.MaxReasonLength);
        e.Property(c => c.LastUsedIp).HasMaxLength(64);
        e.HasOne<Organization>().WithMany().HasForeignKey(c => c.OrganizationId);
        e.HasMany(c => c.Teams).WithOne().HasForeignKey(t => t.CredentialId);
    }
}

sealed class CredentialTeamConfiguration : IEntityTypeConfiguration<CredentialTeam>
{
    public void Configure(EntityTypeBuilder<CredentialTeam> e)
    {
        e.HasKey(t => new { t.CredentialId, t.TeamId });
        e.HasOne(t => t.Team).WithMany().HasForeignKey(t => t.TeamId);
    }
}
