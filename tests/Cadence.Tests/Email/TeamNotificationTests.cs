using System.Net.Http.Json;
using Cadence.Contacts;
using Cadence.Data;
using Cadence.Email;
using Cadence.Tests.Contacts;
using Cadence.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Tests.Email;

/// <summary>A team's notification emails: opt-out changes by the student or a console user, texts from unknown numbers.</summary>
public sealed class TeamNotificationTests
{
    static readonly string[] Advisors = ["advisor@college.edu", "dean@college.edu"];

    static async Task<EmailApp> StartWithAdaAsync(Store store = Store.Sqlite, bool optOuts = true, bool unknownNumbers = true)
    {
        var e = await EmailApp.StartAsync(store);
        await e.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1", "Ada", "Lovelace", "716-555-0101") } });
        await e.SetNotificationsAsync("SS", Advisors, optOuts, unknownNumbers);
        return e;
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task AStudentsStopAndStartEmailEachOfTheTeamsAddresses(Store store)
    {
        await using var e = await StartWithAdaAsync(store);

        await e.TextInAsync("716-555-0101", "stop");

        var stop = await e.Smtp.WaitForAsync(2);
        Assert.Equal(Advisors, stop.Select(m => Assert.Single(m.To.Mailboxes).Address).Order());
        Assert.All(stop, m => Assert.Equal("Ada Lovelace (P1) opted out of SS texts", m.Subject));
        Assert.Contains("the student's reply (a STOP keyword)", stop[0].TextBody);
        Assert.Contains("1-716-555-0101", stop[0].TextBody);

        await e.TextInAsync("716-555-0101", "START");

        var start = (await e.Smtp.WaitForAsync(4)).Skip(2).ToList();
        Assert.All(start, m => Assert.Equal("Ada Lovelace (P1) opted back in to SS texts", m.Subject));
    }

    [Fact]
    public async Task ARepeatedStopChangesNothingAndEmailsNobodyAgain()
    {
        await using var e = await StartWithAdaAsync();
        await e.TextInAsync("716-555-0101", "STOP");
        await e.Smtp.WaitForAsync(2);

        await e.TextInAsync("716-555-0101", "STOP");

        Assert.Equal(2, (await e.OutboxAsync()).Count);
    }

    [Fact]
    public async Task ATextFromANumberThatIsNoContactEmailsTheTeamThatTextedItLast()
    {
        await using var e = await StartWithAdaAsync();
        (await e.Client.PostAsJsonAsync("/v2/messages/CreateAndSend",
            new { departmentCode = "SS", mobileNumber = "716-555-0101", messageContent = "Your advising hold is lifted." }, TestContext.Current.CancellationToken))
            .EnsureSuccessStatusCode();
        (await e.Client.DeleteAsync("/v2/contacts/SS/716-555-0101", TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();

        await e.TextInAsync("716-555-0101", "Who is this?\r\nBcc: everyone@college.edu");

        var emails = await e.Smtp.WaitForAsync(2);
        Assert.All(emails, m => Assert.Equal("A text to SS from an unknown number, 1-716-555-0101", m.Subject));
        Assert.Contains("Who is this?", emails[0].TextBody);
        // The text's own line breaks stay in the body, where they cannot make a header.
        Assert.Empty(emails[0].Bcc);
        Assert.Equal(2, emails.Sum(m => m.To.Count));
    }

    [Fact]
    public async Task ATextFromANumberNoTeamKnowsEmailsNobody()
    {
        await using var e = await StartWithAdaAsync();

        await e.TextInAsync("716-555-0199", "hello?");

        Assert.Empty(await e.OutboxAsync());
    }

    [Fact]
    public async Task OptOutChangesByImportOrTheApiEmailNobody()
    {
        await using var e = await StartWithAdaAsync();

        await e.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1", "Ada", "Lovelace", "716-555-0101", optedOut: true) } });
        await e.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1", "Ada", "Lovelace", "716-555-0101", optedOut: false) } });
        (await e.Client.PostAsJsonAsync("/v2/contacts/SS", ContactsApp.Row("P1", "Ada", "Lovelace", "716-555-0101", optedOut: true),
            TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();

        var sources = await e.App.WithServicesAsync((s, _) => s.GetRequiredService<CadenceDb>().OptOutChanges.Select(o => o.Source).ToListAsync());
        Assert.Equal(["import", "import", "api"], sources);
        await e.App.Services.GetRequiredService<EmailSender>().RunOnceAsync(TestContext.Current.CancellationToken);
        Assert.Empty(await e.OutboxAsync());
        Assert.Empty(e.Smtp.Received);
    }

    [Fact]
    public async Task AnOptOutRecordedByAConsoleUserEmailsTheTeam()
    {
        await using var e = await StartWithAdaAsync();

        // As the console's opt-out button records it: a change with source "console", saved with the contact.
        await e.App.WithServicesAsync(async (s, _) =>
        {
            var db = s.GetRequiredService<CadenceDb>();
            var ada = await db.Contacts.SingleAsync();
            ada.OptedOut = true;
            db.OptOutChanges.Add(new OptOutChange
            {
                OrganizationId = ada.OrganizationId, TeamId = ada.TeamId, ContactId = ada.Id, OldValue = false, NewValue = true, Source = "console",
                At = e.App.Time.GetUtcNow().UtcDateTime,
            });
            return await db.SaveChangesAsync();
        });

        var emails = await e.Smtp.WaitForAsync(2);
        Assert.Contains("a user in the Cadence console", emails[0].TextBody);
    }

    [Fact]
    public async Task UntickedChoicesEmailNobody()
    {
        await using var e = await StartWithAdaAsync(optOuts: false, unknownNumbers: false);

        await e.TextInAsync("716-555-0101", "STOP");

        Assert.Empty(await e.OutboxAsync());
    }

    [Fact]
    public async Task TheEmailIsWrittenWithItsCauseOrNotAtAll()
    {
        await using var e = await StartWithAdaAsync();
        // A STOP the database refuses to save (the sender's own failure) leaves no email behind: one transaction.
        await e.App.WithServicesAsync(async (s, _) =>
        {
            var db = s.GetRequiredService<CadenceDb>();
            var ada = await db.Contacts.SingleAsync();
            db.OptOutChanges.Add(new OptOutChange
            {
                OrganizationId = ada.OrganizationId, TeamId = ada.TeamId, ContactId = ada.Id, NewValue = true, Source = "keyword",
                At = e.App.Time.GetUtcNow().UtcDateTime,
            });
            db.Contacts.Add(new Contact { OrganizationId = ada.OrganizationId, TeamId = ada.TeamId, UniqueCampusId = "P1", FirstName = "A", LastName = "B", MobileNumber = "1-716-555-0102" });
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));
            return 0;
        });

        Assert.Empty(await e.OutboxAsync());
    }
}
