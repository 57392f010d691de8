using System.Text.RegularExpressions;
using Cadence.Audit;
using Cadence.Data;
using Cadence.Teams;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Contacts;

/// <summary>Custom field definitions, shared by the CLI and the API.</summary>
public sealed partial class CustomFieldService(CadenceDb db, TimeProvider time)
{
    public const int MaxFieldsPerTeam = 100;

    public async Task<CustomField> AddAsync(Team team, string name, bool required, bool mergeable, bool hiddenFromStaff, Actor actor, CancellationToken cancellationToken = default)
    {
        name = name.Trim();
        if (!NamePattern().IsMatch(name))
        {
            throw new CadenceException($"'{TextCut.Cut(name, 40)}' is not a field name: start with a letter, then letters, digits or '_', at most 40 in all.");
        }
        if (ContactRules.ReservedNames.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            throw new CadenceException($"'{name}' is a standard contact column, not a custom field.");
        }
        var fields = await ListAsync(team, cancellationToken);
        if (fields.Any(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new CadenceException($"Team {team.DepartmentCode} already has a field '{name}'.", StatusCodes.Status409Conflict);
        }
        if (fields.Count >= MaxFieldsPerTeam)
        {
            throw new CadenceException($"A team has at most {MaxFieldsPerTeam} custom fields.", StatusCodes.Status409Conflict);
        }
        var now = time.GetUtcNow().UtcDateTime;
        var field = new CustomField { TeamId = team.Id, Name = name, Required = required, Mergeable = mergeable, HiddenFromStaff = hiddenFromStaff, CreatedAt = now };
        db.CustomFields.Add(field);
        db.Record(team.OrganizationId, actor, "field.created", $"{team.DepartmentCode}.{name}", now);
        await db.SaveChangesAsync(cancellationToken);
        return field;
    }

    public Task<List<CustomField>> ListAsync(Team team, CancellationToken cancellationToken = default) =>
        db.CustomFields.AsNoTracking().Where(f => f.TeamId == team.Id).OrderBy(f => f.Name).ToListAsync(cancellationToken);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,39}$")]
    private static partial Regex NamePattern();
}
