using Cadence.Contacts;
using Cadence.Data;
using Cadence.Messages;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Cadence.Email;

/// <summary>
/// Queues emails for what a save is about to commit, in that same save (so in its transaction): a finished import
/// with a notificationEmail, an opt-out change by the student or a console user, an inbound text from a number
/// that is no contact. Done here, at the one place every such row passes, rather than at each cause site: the
/// console's opt-out button and the keyword handling are written by different hands, and the rule (which sources
/// notify) must be one. Rows written by hand-made SQL (the import's bulk writer) are not seen; they are the
/// import's own, which never notifies a team.
/// </summary>
public sealed class EmailTriggers(IOptions<SmtpSettings> smtp) : SaveChangesInterceptor
{
    // Read once: the interceptor sees every save.
    readonly bool enabled = smtp.Value.Enabled;
    // A save that failed and is tried again still holds its added rows: each row queues its emails once.
    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> Handled = [];

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is CadenceDb db && enabled)
        {
            await QueueAsync(db, cancellationToken);
        }
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is CadenceDb db && enabled)
        {
            QueueAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        }
        return result;
    }

    static async Task QueueAsync(CadenceDb db, CancellationToken cancellationToken)
    {
        var (batches, changes, texts, contacts) = Added(db);
        foreach (var batch in batches)
        {
            if (batch.NotificationEmail is { } to && EmailAddress.TryNormalize(to, out var address))
            {
                var team = await db.Teams.AsNoTracking().SingleAsync(t => t.Id == batch.TeamId, cancellationToken);
                Queue(db, ImportReportEmail.Compose(team, batch, address), batch.CreatedAt);
            }
        }
        foreach (var change in changes.Where(c => TeamNotificationEmail.Notifies(c.Source)))
        {
            if (await SettingsAsync(db, change.TeamId, s => s.OptOutChanges, cancellationToken) is { } team
                && (contacts.GetValueOrDefault(change.ContactId) ?? await db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.Id == change.ContactId, cancellationToken)) is { } contact)
            {
                var (subject, body) = TeamNotificationEmail.OptOut(team.Team, contact, change);
                QueueForTeam(db, team, TeamNotificationEmail.OptOutKind, subject, body, change.At);
            }
        }
        foreach (var text in texts.Where(m => m.Direction == "inbound" && m.ContactId is null && m.TeamId is not null))
        {
            if (await SettingsAsync(db, text.TeamId!.Value, s => s.UnknownNumbers, cancellationToken) is { } team)
            {
                var (subject, body) = TeamNotificationEmail.UnknownNumber(team.Team, text);
                QueueForTeam(db, team, TeamNotificationEmail.UnknownNumberKind, subject, body, text.CreatedAt);
            }
        }
    }

    /// <summary>The rows this save adds, read without a second DetectChanges (the save runs its own): they were Add()ed, so they are known.</summary>
    static (List<ImportBatch>, List<OptOutChange>, List<Message>, Dictionary<Guid, Contact>) Added(CadenceDb db)
    {
        var tracker = db.ChangeTracker;
        var detect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            var batches = new List<ImportBatch>();
            var changes = new List<OptOutChange>();
            var texts = new List<Message>();
            // Tracked contacts carry their names as they are about to be saved.
            var contacts = new Dictionary<Guid, Contact>();
            foreach (var entry in tracker.Entries())
            {
                if (entry.Entity is Contact contact)
                {
                    contacts[contact.Id] = contact;
                }
                if (entry.State != EntityState.Added || !Handled.TryAdd(entry.Entity, Handled))
                {
                    continue;
                }
                switch (entry.Entity)
                {
                    case ImportBatch b: batches.Add(b); break;
                    case OptOutChange c: changes.Add(c); break;
                    case Message m: texts.Add(m); break;
                }
            }
            return (batches, changes, texts, contacts);
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detect;
        }
    }

    sealed record TeamSettings(Teams.Team Team, IReadOnlyList<string> Addresses);

    static async Task<TeamSettings?> SettingsAsync(CadenceDb db, Guid teamId, Func<TeamEmailSettings, bool> wanted, CancellationToken cancellationToken)
    {
        var settings = await db.TeamEmailSettings.AsNoTracking().SingleOrDefaultAsync(s => s.TeamId == teamId, cancellationToken);
        if (settings is null || !wanted(settings) || settings.AddressList.Count == 0)
        {
            return null;
        }
        return new(await db.Teams.AsNoTracking().SingleAsync(t => t.Id == teamId, cancellationToken), settings.AddressList);
    }

    static void QueueForTeam(CadenceDb db, TeamSettings team, string kind, string subject, string body, DateTime at)
    {
        foreach (var to in team.Addresses)
        {
            Queue(db, new EmailMessage
            {
                OrganizationId = team.Team.OrganizationId, TeamId = team.Team.Id, Kind = kind, To = to, Subject = subject,
                Body = TextCut.Fit(body, EmailMessage.MaxBody),
            }, at);
        }
    }

    static void Queue(CadenceDb db, EmailMessage email, DateTime at)
    {
        email.CreatedAt = at;
        email.NextAttemptAt = at;
        db.EmailMessages.Add(email);
    }
}
