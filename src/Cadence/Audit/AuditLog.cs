using Cadence.Data;

namespace Cadence.Audit;

/// <summary>Who did something: a console user, an API credential or the server's shell, and from where.</summary>
public sealed record Actor(string Name, string? IpAddress = null)
{
    public static Actor Shell() => new($"cli:{Environment.UserName}@{Environment.MachineName}");
}

public static class AuditLog
{
    /// <summary>Adds an event to the unit of work; it commits with the change it describes.</summary>
    public static void Record(this CadenceDb db, Guid organizationId, Actor actor, string action, string target, DateTime at, string? detail = null) =>
        db.AuditEvents.Add(new AuditEvent
        {
            OrganizationId = organizationId,
            At = at,
            Actor = actor.Name,
            IpAddress = actor.IpAddress,
            Action = action,
            Target = target,
            Detail = detail,
        });
}
