using Cadence.Audit;
using Cadence.Data;
using Cadence.Teams;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Email;

/// <summary>Reads and changes a team's notification settings (the console's team notification page).</summary>
public static class TeamNotifications
{
    public static async Task<TeamEmailSettings> ReadAsync(CadenceDb db, Team team, CancellationToken cancellationToken) =>
        await db.TeamEmailSettings.AsNoTracking().SingleOrDefaultAsync(s => s.TeamId == team.Id, cancellationToken) ?? new TeamEmailSettings { TeamId = team.Id };

    /// <summary>Addresses one per line (commas and semicolons also separate); each checked, at most <see cref="TeamEmailSettings.MaxAddresses"/>.</summary>
    public static async Task SaveAsync(CadenceDb db, Team team, string? addresses, bool optOutChanges, bool unknownNumbers, Actor actor, DateTime now,
        CancellationToken cancellationToken)
    {
        var list = Parse(addresses);
        if ((optOutChanges || unknownNumbers) && list.Count == 0)
        {
            throw new CadenceException("Give at least one address to send the chosen notifications to.");
        }
        var settings = await db.TeamEmailSettings.SingleOrDefaultAsync(s => s.TeamId == team.Id, cancellationToken);
        if (settings is null)
        {
            settings = new TeamEmailSettings { TeamId = team.Id };
            db.TeamEmailSettings.Add(settings);
        }
        settings.Addresses = string.Join('\n', list);
        settings.OptOutChanges = optOutChanges;
        settings.UnknownNumbers = unknownNumbers;
        settings.UpdatedAt = now;
        db.Record(team.OrganizationId, actor, "team.notifications_changed", team.DepartmentCode, now,
            $"{list.Count} addresses; opt-out changes {(optOutChanges ? "on" : "off")}; unknown numbers {(unknownNumbers ? "on" : "off")}");
        await db.SaveChangesAsync(cancellationToken);
    }

    public static List<string> Parse(string? addresses)
    {
        var entries = (addresses ?? "").Split(['\n', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (entries.Length > TeamEmailSettings.MaxAddresses)
        {
            throw new CadenceException($"At most {TeamEmailSettings.MaxAddresses} addresses; a mailing list address reaches more people.");
        }
        var list = new List<string>();
        foreach (var entry in entries)
        {
            if (!EmailAddress.TryNormalize(entry, out var address))
            {
                throw new CadenceException($"\"{EmailAddress.OneLine(entry, 60)}\" is not an email address (one plain address per line, at most {EmailAddress.MaxLength} characters).");
            }
            if (!list.Contains(address, StringComparer.OrdinalIgnoreCase))
            {
                list.Add(address);
            }
        }
        return list;
    }
}
