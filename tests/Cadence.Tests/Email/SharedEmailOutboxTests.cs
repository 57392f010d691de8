using Cadence.Data;
using Cadence.Email;
using Cadence.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Tests.Email;

/// <summary>Two nodes on one PostgreSQL database share the email outbox, and each email goes once.</summary>
public sealed class SharedEmailOutboxTests
{
    [Fact]
    public async Task TwoPostgresNodesSendEachEmailOnce()
    {
        await using var smtp = await TestSmtpServer.StartNewAsync();
        await using var database = await TestDatabase.CreateAsync(Store.Postgres);
        await using var nodeA = await CadenceApp.StartAsync(database, smtp.Settings());
        await using var nodeB = await CadenceApp.StartAsync(database, smtp.Settings());
        const int count = 60;
        // Queued straight into the table, as a burst of imports would leave them, so that both senders find work at once.
        await nodeA.WithServicesAsync(async (s, organization) =>
        {
            var db = s.GetRequiredService<CadenceDb>();
            var at = nodeA.Time.GetUtcNow().UtcDateTime;
            db.EmailMessages.AddRange(Enumerable.Range(0, count).Select(i => new EmailMessage
            {
                OrganizationId = organization.Id, Kind = "test", To = $"person{i}@college.edu", Subject = $"Email {i}", Body = "Hello.",
                CreatedAt = at, NextAttemptAt = at,
            }));
            return await db.SaveChangesAsync();
        });

        await smtp.WaitForAsync(count, TimeSpan.FromSeconds(60));
        Assert.True(await Eventually.TrueAsync(() => nodeA.WithServicesAsync((s, _) =>
            s.GetRequiredService<CadenceDb>().EmailMessages.AllAsync(m => m.Status == EmailStatus.Sent)), TimeSpan.FromSeconds(30)));
        var statuses = await nodeA.WithServicesAsync((s, _) => s.GetRequiredService<CadenceDb>().EmailMessages.Select(m => new { m.Status, m.Attempts }).ToListAsync());
        // Every email is marked sent; once both nodes have stopped, no send can still be under way, so the count is final.
        await nodeA.DisposeAsync();
        await nodeB.DisposeAsync();

        Assert.Equal(count, smtp.Received.Count);
        Assert.Equal(count, smtp.Received.Select(m => m.Subject).Distinct().Count());
        Assert.All(statuses, m => Assert.Equal((EmailStatus.Sent, 1), (m.Status, m.Attempts)));
        var byNode = new[] { nodeA, nodeB }.Select(n => n.Logs.Lines.Count(l => l.Contains("Sent email"))).ToList();
        Assert.Equal(count, byNode.Sum());
    }
}
