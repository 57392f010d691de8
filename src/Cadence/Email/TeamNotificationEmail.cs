using System.Text;
using Cadence.Contacts;
using Cadence.Messages;
using Cadence.Teams;

namespace Cadence.Email;

/// <summary>The team notification emails: an opt-out status changed by the student or a console user; a text from an unknown number.</summary>
public static class TeamNotificationEmail
{
    public const string OptOutKind = "opt_out";
    public const string UnknownNumberKind = "unknown_number";

    /// <summary>The sources a team hears about: the student's own word and a user's decision, never an import's or the API's.</summary>
    public static bool Notifies(string source) => source is "keyword" or "console";

    public static (string Subject, string Body) OptOut(Team team, Contact contact, OptOutChange change)
    {
        var what = change.NewValue ? "opted out of" : "opted back in to";
        var who = change.Source == "keyword"
            ? $"the student's reply ({(change.NewValue ? "a STOP keyword" : "a START keyword")})"
            : "a user in the Cadence console";
        var body = new StringBuilder()
            .AppendLine($"{contact.FirstName} {contact.LastName} (campus id {contact.UniqueCampusId}, {contact.MobileNumber}) {what} texts from team {team.DepartmentCode} ({team.Name}).")
            .AppendLine()
            .AppendLine($"Changed by: {who}")
            .AppendLine($"When:       {ImportReportEmail.When(change.At)}")
            .AppendLine()
            .AppendLine(change.NewValue ? "Cadence sends this contact no more texts until they reply START." : "Cadence may text this contact again.");
        return (EmailAddress.OneLine($"{contact.FirstName} {contact.LastName} ({contact.UniqueCampusId}) {what} {team.DepartmentCode} texts", EmailMessage.MaxSubject),
            body.ToString());
    }

    public static (string Subject, string Body) UnknownNumber(Team team, Message text)
    {
        var body = new StringBuilder()
            .AppendLine($"{text.MobileNumber}, a number that is no contact of team {team.DepartmentCode} ({team.Name}), texted at {ImportReportEmail.When(text.CreatedAt)}:")
            .AppendLine()
            .AppendLine(text.Body)
            .AppendLine()
            .AppendLine("It reached this team because the team texted the number last. Add the number to a contact to see who it is.");
        return (EmailAddress.OneLine($"A text to {team.DepartmentCode} from an unknown number, {text.MobileNumber}", EmailMessage.MaxSubject), body.ToString());
    }
}
