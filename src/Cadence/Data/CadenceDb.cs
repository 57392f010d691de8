using Cadence.Audit;
using Cadence.Contacts;
using Cadence.Credentials;
using Cadence.Events;
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
    public DbSet<Event> Events => Set<Event>();
    public DbSet<Email.EmailMessage> EmailMessages => Set<Email.EmailMessage>();
    public DbSet<Email.TeamEmailSettings> TeamEmailSettings => Set<Email.TeamEmailSettings>();
    public DbSet<Messages.ConversationState> ConversationStates => Set<Messages.ConversationState>();
    public DbSet<Inbox.MessageTemplate> MessageTemplates => Set<Inbox.MessageTemplate>();

    /// <summary>The keys that protect console cookies and antiforgery tokens, shared by every node.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public abstract bool IsPostgres { get; }

    // Each feature configures its own entities (an IEntityTypeConfiguration<T> beside the entity, e.g.
    // Contacts/ContactConfiguration.cs); the provider-specific parts are in ProviderDbs.cs.
    protected override void OnModelCreating(ModelBuilder model) =>
        model.ApplyConfigurationsFromAssembly(typeof(CadenceDb).Assembly);
}
