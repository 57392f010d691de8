using System.Security.Cryptography;
using System.Text.Json;
using Cadence.Data;

namespace Cadence.Events;

/// <summary>The contact an event concerns, as campus systems know it.</summary>
public sealed record EventContact(string UniqueCampusId, string? FirstName, string? LastName, string? MobileNumber);

/// <summary>What the feed returns and a webhook delivers (Standard Webhooks' recommended type/timestamp/data shape).</summary>
public sealed record EventBody(string Id, string Type, DateTime Timestamp, string? DepartmentCode, EventContact? Contact, object Data);

public static class EventLog
{
    const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string NewId() => "evt_" + RandomNumberGenerator.GetString(Base62, 24);

    /// <summary>
    /// Adds an event to the unit of work; it commits with the change it describes (call it before SaveChanges, inside
    /// the change's transaction). Bulk writers that bypass the change tracker build the row with <see cref="Build"/>.
    /// </summary>
    public static Event Append(this CadenceDb db, Guid organizationId, Guid? teamId, string? departmentCode, string type,
        DateTime at, EventContact? contact, object data)
    {
        var e = Build(organizationId, teamId, departmentCode, type, at, contact, data);
        db.Events.Add(e);
        return e;
    }

    public static Event Build(Guid organizationId, Guid? teamId, string? departmentCode, string type, DateTime at,
        EventContact? contact, object data)
    {
        var id = NewId();
        var body = new EventBody(id, type, at, departmentCode, contact, data);
        return new Event
        {
            PublicId = id,
            OrganizationId = organizationId,
            TeamId = teamId,
            Type = type,
            OccurredAt = at,
            Payload = JsonSerializer.Serialize(body, Json),
        };
    }
}
