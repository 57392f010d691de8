using Cadence.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cadence.Console.Sso;

/// <summary>A user's link to the provider's identity: one identity per user, one user per identity in an organization.</summary>
public sealed class UserSsoLinkConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> e)
    {
        e.Property(u => u.SsoIssuer).HasMaxLength(SsoSignIn.MaxIssuerLength);
        e.Property(u => u.SsoSubject).HasMaxLength(SsoSignIn.MaxSubjectLength);
        e.HasIndex(u => new { u.OrganizationId, u.SsoIssuer, u.SsoSubject }).IsUnique();
    }
}
