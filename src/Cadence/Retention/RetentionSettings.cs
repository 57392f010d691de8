namespace Cadence.Retention;

/// <summary>
/// How long student data is kept (Cadence:Retention:*), in whole days; unset means kept for ever (the default).
/// </summary>
public sealed class RetentionSettings
{
    /// <summary>Texts older than this lose their body (made empty); status, number, team and times stay.</summary>
    public int? MessageBodyDays { get; set; }

    /// <summary>Audit events older than this are deleted.</summary>
    public int? AuditDays { get; set; }

    /// <summary>
    /// Events (the feed, and what webhooks deliver from) older than this are deleted: 30 days unless configured. They
    /// are a window onto recent changes, not a record; the contact, message and audit rows keep the history.
    /// </summary>
    public int? EventDays { get; set; } = 30;

    public bool AnyOn => MessageBodyDays is not null || AuditDays is not null || EventDays is not null;

    public void Validate()
    {
        foreach (var (name, days) in new[] { ("MessageBodyDays", MessageBodyDays), ("AuditDays", AuditDays), ("EventDays", EventDays) })
        {
            if (days is < 1)
            {
                throw new CadenceException($"Cadence:Retention:{name} is a number of days (1 or more), not {days}. Leave it out to keep everything.");
            }
        }
    }
}
