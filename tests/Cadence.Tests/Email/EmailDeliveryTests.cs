using Cadence.Email;
using Cadence.Tests.Contacts;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Email;

/// <summary>The outbox's sender: retries with growing delays, a relay that is down, giving up after a day, restarts.</summary>
public sealed class EmailDeliveryTests
{
    static readonly object Import = new { notificationEmail = "registrar@college.edu", contacts = new[] { ContactsApp.Row("P1") } };

    static async Task<EmailMessage> WaitForAttemptsAsync(EmailApp e, int attempts)
    {
        EmailMessage? email = null;
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            email = (await e.OutboxAsync()).Single();
            return email.Attempts >= attempts;
        }, TimeSpan.FromSeconds(15)), $"attempts: {email?.Attempts}, last error: {email?.LastError}");
        return email!;
    }

    [Fact]
    public async Task AnEmailTheRelayRefusesForNowIsTriedAgainLaterAndThenDelivered()
    {
        await using var e = await EmailApp.StartAsync();
        e.Smtp.Refuse(1);

        await e.ImportAsync(Import);

        var refused = await WaitForAttemptsAsync(e, 1);
        Assert.Equal(EmailStatus.Queued, refused.Status);
        Assert.Contains("451", refused.LastError);
        Assert.Equal(EmailSender.FirstRetry, refused.NextAttemptAt - refused.CreatedAt);
        Assert.Empty(e.Smtp.Received);

        e.App.Time.Advance(EmailSender.FirstRetry);
        Assert.Single(await e.Smtp.WaitForAsync(1));
        var sent = await WaitForAttemptsAsync(e, 2);
        Assert.Equal((EmailStatus.Sent, 2, 1), (sent.Status, sent.Attempts, e.Smtp.Refused));
    }

    [Fact]
    public async Task ARelayThatIsDownForAWhileGetsTheEmailOnceItIsBack()
    {
        await using var e = await EmailApp.StartAsync(smtpUp: false);

        await e.ImportAsync(Import);
        var first = await WaitForAttemptsAsync(e, 1);
        Assert.Contains("could not reach the relay", first.LastError);
        e.App.Time.Advance(EmailSender.FirstRetry);
        var second = await WaitForAttemptsAsync(e, 2);
        // Growing delays: the second wait is twice the first.
        Assert.Equal(EmailSender.FirstRetry * 2, second.NextAttemptAt - e.App.Time.GetUtcNow().UtcDateTime);

        await e.Smtp.StartAsync();
        e.App.Time.Advance(EmailSender.FirstRetry * 2);

        Assert.Single(await e.Smtp.WaitForAsync(1));
        Assert.Equal(EmailStatus.Sent, (await WaitForAttemptsAsync(e, 3)).Status);
    }

    [Fact]
    public async Task AfterADayOfFailuresTheEmailIsGivenUpAndTheReasonKept()
    {
        await using var e = await EmailApp.StartAsync(smtpUp: false);
        await e.ImportAsync(Import);

        EmailMessage email = await WaitForAttemptsAsync(e, 1);
        for (var hour = 0; hour < 30 && email.Status == EmailStatus.Queued; hour++)
        {
            var before = email.Attempts;
            e.App.Time.Advance(TimeSpan.FromHours(1));
            email = await WaitForAttemptsAsync(e, before + 1);
        }

        Assert.Equal(EmailStatus.Failed, email.Status);
        Assert.StartsWith($"gave up after {email.Attempts} attempts over a day: could not reach the relay", email.LastError);
        Assert.InRange(e.App.Time.GetUtcNow().UtcDateTime - email.CreatedAt, TimeSpan.FromHours(22), TimeSpan.FromHours(26));
        Assert.Contains(e.App.Logs.Lines, l => l.Contains("was not sent: gave up"));
    }

    [Fact]
    public async Task ARecipientTheRelayRefusesForGoodFailsAtOnce()
    {
        await using var e = await EmailApp.StartAsync();
        e.Smtp.Refuse(1, 550, "no such mailbox");

        await e.ImportAsync(Import);

        Assert.True(await Eventually.TrueAsync(async () => (await e.OutboxAsync()).Single().Status == EmailStatus.Failed, TimeSpan.FromSeconds(15)));
        var email = (await e.OutboxAsync()).Single();
        Assert.Equal(1, email.Attempts);
        Assert.Equal("refused for good: the relay answered 550: no such mailbox", email.LastError);
    }

    [Fact]
    public async Task AQueuedEmailSurvivesARestartAndGoesOnceTheRelayIsUp()
    {
        var smtp = TestSmtpServer.Reserve();
        await using var _ = smtp;
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        await using (var first = await CadenceApp.StartAsync(database, smtp.Settings()))
        {
            using var client = await first.TeamClientAsync();
            (await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(client, "/v2/contacts/SS/import", Import, TestContext.Current.CancellationToken))
                .EnsureSuccessStatusCode();
            Assert.True(await Eventually.TrueAsync(() => first.WithServicesAsync((s, _) =>
                Task.FromResult(s.GetRequiredService<Cadence.Data.CadenceDb>().EmailMessages.Single().Attempts == 1)), TimeSpan.FromSeconds(15)));
        }

        await smtp.StartAsync();
        await using var second = await CadenceApp.StartAsync(database, smtp.Settings());
        second.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Single(await smtp.WaitForAsync(1));
    }
}
