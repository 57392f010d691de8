using Cadence.Audit;
using Cadence.Console;
using Cadence.Contacts;
using Cadence.Credentials;
using Cadence.Messages;
using Cadence.Teams;
using Cadence.Users;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Data;

/// <summary>
/// The one model. Each provider has a subclass so that each keeps its own migrations
/// (Data/Migrations/Sqlite and Data/Migrations/Postgres).
/// </summary>
public abstract class CadenceDb(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<Team> Teams => Set<Team>();
    public DbSet<User> Users => Set<User>();
    public DbSet<TeamMembership> TeamMemberships => Set<TeamMembership>();
    public DbSet<Credential> Credentials => Set<Credential>();
    public DbSet<CredentialTeam> CredentialTeams => Set<CredentialTeam>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<OptOutChange> OptOutChanges => Set<OptOutChange>();
    public DbSet<CustomField> CustomFields => Set<CustomField>();
    public DbSet<ImportBatch> ImportBatches => Set<ImportBatch>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<NumberOptOut> NumberOptOuts => Set<NumberOptOut>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<ConsoleSession> ConsoleSessions => Set<ConsoleSession>();
    public DbSet<SetupToken> SetupTokens => Set<SetupToken>();

    /// <summary>The keys that protect console cookies and antiforgery tokens, shared by every node.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public abstract bool IsPostgres { get; }

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<Organization>(e =>
        {
            e.Property(o => o.Name).HasMaxLength(200);
            e.Property(o => o.PepperCheck).HasMaxLength(64);
        });
        model.Entity<Team>(e =>
        {
            e.HasIndex(t => new { t.OrganizationId, t.DepartmentCode }).IsUnique();
            e.Property(t => t.DepartmentCode).HasMaxLength(16);
            e.Property(t => t.Name).HasMaxLength(200);
            e.Property(t => t.TimeZone).HasMaxLength(64).HasDefaultValue(Team.DefaultTimeZone);
            e.HasOne<Organization>().WithMany().HasForeignKey(t => t.OrganizationId);
        });
        model.Entity<User>(e =>
        {
            e.HasIndex(u => new { u.OrganizationId, u.Email }).IsUnique();
            e.HasIndex(u => new { u.OrganizationId, u.StaffId }).IsUnique();
            e.Property(u => u.Email).HasMaxLength(254);
            e.Property(u => u.StaffId).HasMaxLength(64);
            e.Property(u => u.PasswordHash).HasMaxLength(200);
            e.Property(u => u.Name).HasMaxLength(200).HasDefaultValue("");
            e.HasOne<Organization>().WithMany().HasForeignKey(u => u.OrganizationId);
            e.HasMany(u => u.Memberships).WithOne().HasForeignKey(m => m.UserId);
        });
        // Single sign-on (#17): the user's link to the provider's identity.
        model.ApplyConfiguration(new Console.Sso.UserSsoLinkConfiguration());
        model.Entity<TeamMembership>(e =>
        {
            e.HasKey(m => new { m.UserId, m.TeamId });
            e.Property(m => m.Role).HasConversion<string>().HasMaxLength(16);
            e.HasOne<Team>().WithMany().HasForeignKey(m => m.TeamId);
        });
        model.Entity<Credential>(e =>
        {
            e.HasIndex(c => c.Key).IsUnique();
            e.HasIndex(c => c.SecretHash);
            e.HasIndex(c => c.UpdatedAt);
            e.HasIndex(c => new { c.OrganizationId, c.CreatedAt });
            e.Property(c => c.Name).HasMaxLength(200);
            e.Property(c => c.Key).HasMaxLength(SecretFormat.KeyLength);
            e.Property(c => c.SecretHash).HasMaxLength(SecretHasher.HashLength);
            e.Property(c => c.PreviousSecretHash).HasMaxLength(SecretHasher.HashLength);
            e.Property(c => c.Scopes).HasMaxLength(200);
            e.Property(c => c.CreatedBy).HasMaxLength(300);
            e.Property(c => c.RevokedBy).HasMaxLength(300);
            e.Property(c => c.RevokedReason).HasMaxLength(500);
            e.Property(c => c.LastUsedIp).HasMaxLength(64);
            e.HasOne<Organization>().WithMany().HasForeignKey(c => c.OrganizationId);
            e.HasMany(c => c.Teams).WithOne().HasForeignKey(t => t.CredentialId);
        });
        model.Entity<CredentialTeam>(e =>
        {
            e.HasKey(t => new { t.CredentialId, t.TeamId });
            e.HasOne(t => t.Team).WithMany().HasForeignKey(t => t.TeamId);
        });
        model.Entity<AuditEvent>(e =>
        {
            e.HasIndex(a => new { a.OrganizationId, a.At });
            e.Property(a => a.Actor).HasMaxLength(300);
            e.Property(a => a.Action).HasMaxLength(64);
            e.Property(a => a.Target).HasMaxLength(300);
            e.Property(a => a.Detail).HasMaxLength(2000);
            e.Property(a => a.IpAddress).HasMaxLength(64);
            e.HasOne<Organization>().WithMany().HasForeignKey(a => a.OrganizationId);
        });
        model.Entity<Contact>(e =>
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
        });
        model.Entity<OptOutChange>(e =>
        {
            // No foreign key to the contact: the record of a change outlives a deleted contact (PRODUCT §5).
            e.HasIndex(o => new { o.ContactId, o.At });
            e.Property(o => o.Source).HasMaxLength(16);
        });
        model.Entity<NumberOptOut>(e =>
        {
            e.HasKey(o => new { o.OrganizationId, o.TeamId, o.MobileNumber });
            e.Property(o => o.MobileNumber).HasMaxLength(14);
            e.Property(o => o.Source).HasMaxLength(16);
            e.HasOne<Organization>().WithMany().HasForeignKey(o => o.OrganizationId);
        });
        model.Entity<CustomField>(e =>
        {
            e.HasIndex(f => new { f.TeamId, f.Name }).IsUnique();
            e.Property(f => f.Name).HasMaxLength(40);
            e.HasOne<Team>().WithMany().HasForeignKey(f => f.TeamId);
        });
        model.Entity<ImportBatch>(e =>
        {
            e.HasIndex(b => new { b.TeamId, b.CreatedAt });
            e.Property(b => b.NotificationEmail).HasMaxLength(254);
            e.Property(b => b.Format).HasMaxLength(8);
            e.Property(b => b.CreatedBy).HasMaxLength(300);
            e.HasOne<Team>().WithMany().HasForeignKey(b => b.TeamId);
        });
        model.Entity<Message>(e =>
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
            e.HasOne<Organization>().WithMany().HasForeignKey(m => m.OrganizationId);
            e.HasOne<Team>().WithMany().HasForeignKey(m => m.TeamId);
        });
        model.Entity<IdempotencyRecord>(e =>
        {
            e.HasIndex(r => new { r.CredentialId, r.Key }).IsUnique();
            e.HasIndex(r => r.CreatedAt);
            e.Property(r => r.Key).HasMaxLength(255);
            e.Property(r => r.RequestHash).HasMaxLength(64);
        });
        model.Entity<ConsoleSession>(e =>
        {
            e.HasIndex(s => s.UserId);
            e.Property(s => s.IpAddress).HasMaxLength(64);
            e.HasOne<User>().WithMany().HasForeignKey(s => s.UserId);
        });
        model.Entity<SetupToken>(e =>
        {
            e.HasIndex(t => t.TokenHash).IsUnique();
            e.Property(t => t.TokenHash).HasMaxLength(64);
            e.HasOne<Organization>().WithMany().HasForeignKey(t => t.OrganizationId);
        });
    }
}
