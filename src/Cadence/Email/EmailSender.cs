using Cadence.Data;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Cadence.Email;

/// <summary>
/// Sends the email outbox through SMTP. Every node runs one; a node claims a few due emails in one UPDATE (FOR UPDATE
/// SKIP LOCKED on PostgreSQL), as the text outbox does, so each email goes from one node. An email the relay refused
/// for now, or that could not reach it, is tried again later, waiting longer each time, until about a day has passed;
/// a refusal the relay calls permanent (5xx for this recipient or message) fails it at once. After a crash mid-send
/// the claim lapses and the email is sent again: email is at least once.
/// </summary>
public sealed class EmailSender(IServiceScopeFactory scopes, IOptions<SmtpSettings> options, TimeProvider time, ILogger<EmailSender> logger) : BackgroundService
{
    const int BatchSize = 5;
    static readonly OutboxClaim Claim = new("EmailMessages", "ClaimedAt", "\"Id\"");
    public static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan LongestWait = TimeSpan.FromHours(1);
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromHours(24);

    // Long enough for a batch's SMTP conversations at their timeout; a crashed node's claim is taken over after it.
    TimeSpan ClaimLease => Smtp.Timeout * (BatchSize + 2);

    SmtpSettings Smtp { get; } = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Smtp.Enabled)
        {
            logger.LogInformation("Email is off (Cadence:Smtp:Host is not set): import reports and team notifications are not emailed.");
            return;
        }
        logger.LogInformation("Sending email through {Host}:{Port} ({Security}).", Smtp.Host, Smtp.ParsedPort, Smtp.ParsedSecurity);
        await OutboxLoop.RunAsync(RunOnceAsync, Smtp.PollInterval, logger, "The email sender", stoppingToken);
    }

    /// <summary>Tries one batch of due emails; false when none was due.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (!Smtp.Enabled)
        {
            return false;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CadenceDb>();
        var now = time.GetUtcNow().UtcDateTime;
        // A read first: an idle outbox costs no write lock.
        if (!await db.EmailMessages.AnyAsync(m => m.Status == EmailStatus.Queued && m.NextAttemptAt <= now, cancellationToken))
        {
            return false;
        }
        var claim = Guid.NewGuid();
        var stale = now - ClaimLease;
        // As the text outbox does: one statement that takes due, unclaimed (or lapsed) rows.
        await Claim.ClaimAsync(db,
            $"\"Status\" = 'queued' AND \"NextAttemptAt\" <= {now} AND (\"ClaimToken\" IS NULL OR \"ClaimedAt\" < {stale})",
            claim, now, BatchSize, cancellationToken);
        var emails = await db.EmailMessages.Where(m => m.ClaimToken == claim).OrderBy(m => m.Id).ToListAsync(cancellationToken);
        if (emails.Count == 0)
        {
            return false;
        }
        using var client = new SmtpClient { Timeout = (int)Smtp.Timeout.TotalMilliseconds };
        try
        {
            foreach (var email in emails)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                await SendOneAsync(client, email, cancellationToken);
                // Recorded one by one: a crash repeats at most the email in hand.
                email.ClaimToken = null;
                await db.SaveChangesAsync(CancellationToken.None);
            }
        }
        finally
        {
            // Stopping: claimed emails not yet tried go back to the queue at once rather than after the lease.
            await db.EmailMessages.Where(m => m.ClaimToken == claim)
                .ExecuteUpdateAsync(u => u.SetProperty(m => m.ClaimToken, (Guid?)null), CancellationToken.None);
            if (client.IsConnected)
            {
                await client.DisconnectAsync(true, CancellationToken.None);
            }
        }
        return true;
    }

    async Task SendOneAsync(SmtpClient client, EmailMessage email, CancellationToken cancellationToken)
    {
        try
        {
            await EnsureConnectedAsync(client, cancellationToken);
            // Not the stopping token once the message is being handed over: it is seen through (the timeout bounds it).
            await client.SendAsync(Compose(email), CancellationToken.None);
            email.Attempts++;
            email.Status = EmailStatus.Sent;
            email.SentAt = time.GetUtcNow().UtcDateTime;
            email.LastError = null;
            logger.LogDebug("Sent email {Id} ({Kind}).", email.Id, email.Kind);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping before the relay was reached: not an attempt.
        }
        catch (Exception e)
        {
            Failed(email, e);
            if (e is not SmtpCommandException && client.IsConnected)
            {
                // After a network or protocol error the connection's state is unknown: the next email starts afresh.
                try
                {
                    await client.DisconnectAsync(false, CancellationToken.None);
                }
                catch (Exception)
                {
                    // Already broken; the client is replaced by a new connection anyway.
                }
            }
        }
    }

    async Task EnsureConnectedAsync(SmtpClient client, CancellationToken cancellationToken)
    {
        if (client.IsConnected)
        {
            return;
        }
        var security = Smtp.ParsedSecurity switch
        {
            SmtpSecurity.SslOnConnect => MailKit.Security.SecureSocketOptions.SslOnConnect,
            SmtpSecurity.None => MailKit.Security.SecureSocketOptions.None,
            _ => MailKit.Security.SecureSocketOptions.StartTls,
        };
        await client.ConnectAsync(Smtp.Host!, Smtp.ParsedPort, security, cancellationToken);
        if (!string.IsNullOrEmpty(Smtp.Username))
        {
            await client.AuthenticateAsync(Smtp.Username, Smtp.Password ?? "", cancellationToken);
        }
    }

    MimeMessage Compose(EmailMessage email)
    {
        EmailAddress.TryParseSender(Smtp.From!, out var from);
        var message = new MimeMessage { Subject = EmailAddress.OneLine(email.Subject, EmailMessage.MaxSubject) };
        message.From.Add(from);
        message.To.Add(MailboxAddress.Parse(email.To));
        var body = new BodyBuilder { TextBody = email.Body };
        if (email.Attachment is { } bytes)
        {
            body.Attachments.Add(email.AttachmentName ?? "attachment", bytes, new ContentType("text", "csv") { Charset = "utf-8" });
        }
        message.Body = body.ToMessageBody();
        return message;
    }

    void Failed(EmailMessage email, Exception e)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var reason = Describe(e);
        var permanent = e is SmtpCommandException { ErrorCode: SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted } command
            && (int)command.StatusCode >= 500;
        var attempts = ++email.Attempts;
        var wait = TimeSpan.FromTicks(Math.Min(LongestWait.Ticks, FirstRetry.Ticks * (1L << Math.Min(attempts - 1, 20))));
        if (permanent || now + wait - email.CreatedAt > GiveUpAfter)
        {
            email.Status = EmailStatus.Failed;
            reason = permanent ? $"refused for good: {reason}" : $"gave up after {attempts} attempts over a day: {reason}";
            logger.LogWarning("Email {Id} ({Kind}) was not sent: {Reason}", email.Id, email.Kind, reason);
        }
        else
        {
            email.NextAttemptAt = now + wait;
            logger.LogInformation("Email {Id} ({Kind}) is tried again at {At:u}: {Reason}", email.Id, email.Kind, email.NextAttemptAt, reason);
        }
        email.LastError = TextCut.Fit(reason, 300);
    }

    // What an operator needs from a failure: the relay's words, or the kind of network trouble; never a stack trace.
    static string Describe(Exception e) => e switch
    {
        SmtpCommandException c => $"the relay answered {(int)c.StatusCode}: {EmailAddress.OneLine(c.Message, 200)}",
        SmtpProtocolException p => $"SMTP protocol error: {EmailAddress.OneLine(p.Message, 200)}",
        MailKit.Security.AuthenticationException => "the relay refused Cadence:Smtp:Username and Password",
        System.Net.Sockets.SocketException s => $"could not reach the relay: {s.SocketErrorCode}",
        TimeoutException => "the relay did not answer in time",
        IOException io => $"the connection broke: {EmailAddress.OneLine(io.Message, 200)}",
        _ => EmailAddress.OneLine(e.Message, 200),
    };
}
