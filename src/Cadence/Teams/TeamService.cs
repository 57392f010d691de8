using Cadence.Audit;
using Cadence.Data;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Teams;

/// <summary>Team actions shared by the CLI and the console.</summary>
public sealed class TeamService(CadenceDb db, TimeProvider time)
{
    public async Task<Team> AddAsync(Guid organizationId, string departmentCode, string name, Actor actor, CancellationToken cancellationToken = default,
        string? timeZone = null)
    {
        var code = DepartmentCode.Parse(departmentCode).ToString();
        timeZone = string.IsNullOrWhiteSpace(timeZone) ? Team.DefaultTimeZone : timeZone.Trim();
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _))
        {
            throw new CadenceException($"'{TextCut.Cut(timeZone, 40)}' is not a time zone: use an IANA name such as America/Chicago.");
        }
        name = name.Trim();
        if (name.Length is 0 or > 200)
        {
            throw new CadenceException("A team name is required (at most 200 characters).");
        }
        if (await db.Teams.AnyAsync(t => t.OrganizationId == organizationId && t.DepartmentCode == code, cancellationToken))
        {
            throw new CadenceException($"A team with department code '{code}' already exists.", StatusCodes.Status409Conflict);
        }
        var now = time.GetUtcNow().UtcDateTime;
        var team = new Team { OrganizationId = organizationId, DepartmentCode = code, Name = name, TimeZone = timeZone, CreatedAt = now };
        db.Teams.Add(team);
        db.Record(organizationId, actor, "team.created", code, now, name);
        await db.SaveChangesAsync(cancellationToken);
        return team;
    }

    public Task<List<Team>> ListAsync(Guid organizationId, CancellationToken cancellationToken = default) =>
        db.Teams.Where(t => t.OrganizationId == organizationId).OrderBy(t => t.DepartmentCode).ToListAsync(cancellationToken);
}
