using System.Net;
using System.Text;
using Cadence.Email;
using Cadence.Tests.Contacts;
using Cadence.Tests.Infrastructure;
using MimeKit;

namespace Cadence.Tests.Email;

/// <summary>An import's notificationEmail gets the batch's counts and its row errors as errors.csv, through a real SMTP server.</summary>
public sealed class ImportEmailTests
{
    static object Bad(string id, string mobile = "12") => ContactsApp.Row(id, mobile: mobile);

    [Fact]
    public async Task TheImportReportArrivesWithItsCountsAndTheRowErrorsAsCsv()
    {
        await using var e = await EmailApp.StartAsync();

        var report = await e.ImportAsync(new
        {
            notificationEmail = "registrar@college.edu",
            contacts = new[] { ContactsApp.Row("P1"), Bad("P2"), ContactsApp.Row("P3", first: "", mobile: "716-555-0103") },
        });

        var message = Assert.Single(await e.Smtp.WaitForAsync(1));
        Assert.Equal("registrar@college.edu", Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("cadence@college.edu", Assert.Single(message.From.Mailboxes).Address);
        Assert.Equal("Cadence import into SS: 2 of 3 rows failed", message.Subject);
        Assert.Contains("Created:   1", message.TextBody);
        Assert.Contains("Failed:    2", message.TextBody);
        Assert.Contains(report.Str("batchIdentifier")!, message.TextBody);
        Assert.DoesNotContain("errorsTruncated", message.TextBody);
        var lines = ErrorsCsv(message);
        Assert.Equal("row,uniqueCampusId,field,reason", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("2,P2,mobileNumber,", lines[1]);
        Assert.StartsWith("3,P3,firstName,", lines[2]);
        // The relay has the email; the sender records "sent" just after the relay's answer.
        Assert.True(await Eventually.TrueAsync(async () => Assert.Single(await e.OutboxAsync()).Status == EmailStatus.Sent));
        var sent = Assert.Single(await e.OutboxAsync());
        Assert.Equal((EmailStatus.Sent, 1), (sent.Status, sent.Attempts));
    }

    [Fact]
    public async Task TruncatedRowErrorsAreNotedInTheBodyAndTheCsvHoldsTheKeptOnes()
    {
        await using var e = await EmailApp.StartAsync();

        await e.ImportAsync(new { notificationEmail = "registrar@college.edu", contacts = Enumerable.Range(0, 1005).Select(i => Bad($"P{i}")).ToArray() });

        var message = Assert.Single(await e.Smtp.WaitForAsync(1));
        Assert.Contains("errorsTruncated", message.TextBody);
        Assert.Contains("1,005 rows failed in all", message.TextBody);
        Assert.Equal(1 + 1000, ErrorsCsv(message).Length);
    }

    [Fact]
    public async Task AnImportWithoutRowErrorsSaysSoAndHasNoAttachment()
    {
        await using var e = await EmailApp.StartAsync();

        await e.ImportAsync(new { notificationEmail = "registrar@college.edu", contacts = new[] { ContactsApp.Row("P1") } });

        var message = Assert.Single(await e.Smtp.WaitForAsync(1));
        Assert.Equal("Cadence import into SS: 1 rows, none failed", message.Subject);
        Assert.Contains("No row failed.", message.TextBody);
        Assert.Empty(message.Attachments);
    }

    [Fact]
    public async Task ACellASpreadsheetWouldRunAsAFormulaIsDefused()
    {
        await using var e = await EmailApp.StartAsync();

        await e.ImportAsync(new { notificationEmail = "registrar@college.edu", contacts = new[] { Bad("=HYPERLINK(\"http://x\",\"y\")") } });

        var lines = ErrorsCsv(Assert.Single(await e.Smtp.WaitForAsync(1)));
        Assert.StartsWith("1,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",", lines[1]);
    }

    [Fact]
    public async Task AnImportWithoutNotificationEmailQueuesNoEmail()
    {
        await using var e = await EmailApp.StartAsync();

        await e.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1"), Bad("P2") } });
        await e.App.Services.GetRequiredService<EmailSender>().RunOnceAsync(TestContext.Current.CancellationToken);

        Assert.Empty(await e.OutboxAsync());
        Assert.Empty(e.Smtp.Received);
    }

    [Theory]
    [InlineData("registrar@college.edu\r\nBcc: everyone@college.edu")]
    [InlineData("registrar@college.edu\nSubject: hi")]
    [InlineData("Registrar <registrar@college.edu>")]
    [InlineData("registrar@college.edu, dean@college.edu")]
    [InlineData("registrar")]
    [InlineData("@college.edu")]
    public async Task AMalformedOrHeaderBreakingNotificationEmailIsA400AndQueuesNothing(string address)
    {
        await using var e = await EmailApp.StartAsync();

        var problem = await e.ImportAsync(new { notificationEmail = address, contacts = new[] { ContactsApp.Row("P1") } }, HttpStatusCode.BadRequest);

        Assert.Contains("notificationEmail", problem.Str("detail"));
        Assert.NotNull(problem.Str("code"));
        Assert.Empty(await e.OutboxAsync());
    }

    [Fact]
    public async Task ALongNotificationEmailIsA400()
    {
        await using var e = await EmailApp.StartAsync();

        var problem = await e.ImportAsync(new { notificationEmail = new string('a', 250) + "@college.edu", contacts = new[] { ContactsApp.Row("P1") } },
            HttpStatusCode.BadRequest);

        Assert.Contains("notificationEmail", problem.Str("detail"));
    }

    [Fact]
    public async Task WithoutAnSmtpHostEmailIsOffImportsStillWorkAndTheLogSaysSoOnce()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        using var client = await app.TeamClientAsync();
        var response = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(client, "/v2/contacts/SS/import",
            new { notificationEmail = "registrar@college.edu", contacts = new[] { ContactsApp.Row("P1") } }, TestContext.Current.CancellationToken);

        var report = await ContactsApp.Expect(response, HttpStatusCode.OK);
        Assert.Equal("registrar@college.edu", report.Str("notificationEmail"));
        var outbox = await app.WithServicesAsync((services, _) => Task.FromResult(services.GetRequiredService<Cadence.Data.CadenceDb>().EmailMessages.Count()));
        Assert.Equal(0, outbox);
        Assert.Single(app.Logs.Lines, l => l.Contains("Email is off"));
    }

    static string[] ErrorsCsv(MimeMessage message)
    {
        var part = Assert.Single(message.Attachments.OfType<MimePart>());
        Assert.Equal("errors.csv", part.FileName);
        Assert.Equal("text/csv", part.ContentType.MimeType);
        using var bytes = new MemoryStream();
        part.Content!.DecodeTo(bytes);
        return Encoding.UTF8.GetString(bytes.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
    }
}
