using System.Net;
using Cadence.Audit;
using Cadence.Data;
using Cadence.Tests.Infrastructure;
using Cadence.Tests.Messages;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Tests.Contacts;

/// <summary>Deleting contacts, and an opt-out that belongs to the number rather than the record (PRODUCT §4).</summary>
public sealed class NumberOptOutTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task DeletingAContactKeepsItsMessagesFailsItsQueuedTextsAndIsAudited(Store store)
    {
        await using var m = await MessagesApp.StartAsync(store);
        var (_, sent) = await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", mobileNumber = "7165550101", messageContent = "Hi Ada" });
        await m.PhoneAsync("7165550101");
        var (_, scheduled) = await m.PostAsync("/v2/messages/bulk", new
        {
            departmentCode = "SS", messageContent = "Registration opens", recipients = new[] { new { uniqueCampusId = "P1" } }, scheduledFor = "2026-09-03T15:00:00Z",
        });
        Assert.Equal(1, scheduled.GetProperty("queued").GetInt32());

        var deleted = await m.Client.DeleteAsync("/v2/contacts/SS/716.555.0101", Ct);
        var again = await m.Client.DeleteAsync("/v2/contacts/SS/7165550101", Ct);
        var byId = await m.Client.DeleteAsync("/v2/contacts/SS/by-id/P2", Ct);
        var messages = await m.Contacts.GetAsync("/v2/messages?mobileNumber=7165550101");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await ProblemAssert.IsProblemAsync(again, HttpStatusCode.NotFound, "contact_not_found");
        Assert.Equal(HttpStatusCode.NoContent, byId.StatusCode);
        await m.Contacts.GetAsync("/v2/contacts/SS/by-id/P1", HttpStatusCode.NotFound);
        await m.Contacts.GetAsync("/v2/contacts/SS/by-id/P2", HttpStatusCode.NotFound);
        var statuses = messages.GetProperty("messages").EnumerateArray().Select(x => (x.Str("messageContent"), x.Str("status"), x.GetProperty("statusReason").GetString())).ToList();
        Assert.Contains(("Registration opens", "failed", "contact deleted"), statuses);
        Assert.Contains(statuses, s => s.Item1 == "Hi Ada" && s.Item2 == "delivered");
        Assert.Equal(sent.GetProperty("id").GetInt64(), (await m.Contacts.GetAsync($"/v2/messages/{sent.GetProperty("id").GetInt64()}")).GetProperty("id").GetInt64());
        var audit = await m.App.WithServicesAsync((services, _) => services.GetRequiredService<CadenceDb>().AuditEvents
            .Where(a => a.Action == "contact.deleted").Select(a => a.Target).ToListAsync());
        Assert.Equal(["SS/P1", "SS/P2"], audit.Order());
    }

    [Fact]
    public async Task DeletingNeedsContactsWriteAndAWellFormedNumber()
    {
        await using var m = await MessagesApp.StartAsync(Store.Sqlite);
        using var readOnly = m.App.Http(await m.App.CreateCredentialAsync(scopes: [Cadence.Credentials.Scope.ContactsRead]));

        await ProblemAssert.IsProblemAsync(await readOnly.DeleteAsync("/v2/contacts/SS/7165550101", Ct), HttpStatusCode.Forbidden, "scope_missing");
        await ProblemAssert.IsProblemAsync(await m.Client.DeleteAsync("/v2/contacts/SS/123-456-7890", Ct), HttpStatusCode.BadRequest, "invalid_mobile_number");
        await m.Contacts.GetAsync("/v2/contacts/SS/by-id/P1");
    }

    /// <summary>
    /// More numbers than one SQLite statement takes parameters (32,766): EF Core 10 would
    /// otherwise write a list given to Contains as one parameter per item.
    /// </summary>
    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task AnImportMayUndoMoreRememberedOptOutsThanAStatementTakesParameters(Store store)
    {
        const int count = 33_000; // past SQLite's 32,766
        await using var c = await ContactsApp.StartAsync(store);
        var number = (int i) => $"1-716-{200 + i / 10_000}-{i % 10_000:D4}";
        await c.App.WithServicesAsync(async (services, organization) =>
        {
            var db = services.GetRequiredService<CadenceDb>();
            var team = await db.Teams.SingleAsync(t => t.DepartmentCode == "SS", Ct);
            db.NumberOptOuts.AddRange(Enumerable.Range(0, count).Select(i => new Cadence.Contacts.NumberOptOut
            {
                OrganizationId = organization.Id, TeamId = team.Id, MobileNumber = number(i), Source = "import", At = DateTime.UtcNow,
            }));
            return await db.SaveChangesAsync(Ct);
        });

        var report = await c.ImportAsync(new { contacts = Enumerable.Range(0, count).Select(i => ContactsApp.Row($"N{i}", "Cy", "Young", number(i), optedOut: false)).ToArray() });

        Assert.Equal((count, 0), (report.GetProperty("created").GetInt32(), report.GetProperty("failed").GetInt32()));
        var left = await c.App.WithServicesAsync((services, _) => services.GetRequiredService<CadenceDb>().NumberOptOuts.CountAsync(Ct));
        Assert.Equal(0, left);
        Assert.False((await c.GetAsync($"/v2/contacts/SS/by-id/N{count - 1}")).GetProperty("optedOut").GetBoolean());
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task ADeletedContactsOptOutStaysWithTheNumberAndAnImportMayUndoItsOwn(Store store)
    {
        await using var m = await MessagesApp.StartAsync(store); // P3 716-555-0103 was imported opted out
        Assert.Equal(HttpStatusCode.NoContent, (await m.Client.DeleteAsync("/v2/contacts/SS/by-id/P3", Ct)).StatusCode);

        var report = await m.Contacts.ImportAsync(new { contacts = new[] { ContactsApp.Row("P9", "Cy", "Young", "716-555-0103") } });
        var notice = Assert.Single(report.GetProperty("notices").EnumerateArray());
        Assert.True((await m.Contacts.GetAsync("/v2/contacts/SS/by-id/P9")).GetProperty("optedOut").GetBoolean());
        Assert.Equal(("P9", "optedOut"), (notice.Str("uniqueCampusId"), notice.Str("field")));
        Assert.Contains("starts opted out", notice.Str("reason"));

        // That opt-out was an import's, so an import may undo it.
        Assert.Equal(HttpStatusCode.NoContent, (await m.Client.DeleteAsync("/v2/contacts/SS/by-id/P9", Ct)).StatusCode);
        await m.Contacts.ImportAsync(new { contacts = new[] { ContactsApp.Row("P10", "Cy", "Young", "716-555-0103", optedOut: false) } });
        Assert.False((await m.Contacts.GetAsync("/v2/contacts/SS/by-id/P10")).GetProperty("optedOut").GetBoolean());
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task AStopTheStudentTextedIsUndoneOnlyByTheStudent(Store store)
    {
        await using var m = await MessagesApp.StartAsync(store);
        await m.PostAsync("/simulator/api/reply", new { mobileNumber = "716-555-0101", body = "STOP" });

        var report = await m.Contacts.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1", "Ada", "Lovelace", "716-555-0101", optedOut: false) } });
        var upsert = await m.Client.PostAsync("/v2/contacts/SS",
            System.Net.Http.Json.JsonContent.Create(new { uniqueCampusId = "P1", firstName = "Ada", lastName = "Lovelace", mobileNumber = "716-555-0101", optedOut = 0 }), Ct);
        var afterImport = await m.Contacts.GetAsync("/v2/contacts/SS/by-id/P1");

        Assert.Contains("only the student can opt back in", Assert.Single(report.GetProperty("notices").EnumerateArray()).Str("reason"));
        Assert.Equal(HttpStatusCode.OK, upsert.StatusCode);
        Assert.True(afterImport.GetProperty("optedOut").GetBoolean());

        // Deleting and re-adding the contact does not undo it either; the student's START does.
        Assert.Equal(HttpStatusCode.NoContent, (await m.Client.DeleteAsync("/v2/contacts/SS/by-id/P1", Ct)).StatusCode);
        await m.Contacts.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1", "Ada", "Lovelace", "716-555-0101") } });
        Assert.True((await m.Contacts.GetAsync("/v2/contacts/SS/by-id/P1")).GetProperty("optedOut").GetBoolean());
        await m.PostAsync("/simulator/api/reply", new { mobileNumber = "716-555-0101", body = "START" });
        Assert.False((await m.Contacts.GetAsync("/v2/contacts/SS/by-id/P1")).GetProperty("optedOut").GetBoolean());

        // An opt-out set by import is the import's to undo.
        await m.Contacts.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1", "Ada", "Lovelace", "716-555-0101", optedOut: true) } });
        await m.Contacts.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1", "Ada", "Lovelace", "716-555-0101", optedOut: false) } });
        Assert.False((await m.Contacts.GetAsync("/v2/contacts/SS/by-id/P1")).GetProperty("optedOut").GetBoolean());
    }

    [Fact]
    public async Task AStopFromANumberThatIsNoContactIsRemembered()
    {
        await using var m = await MessagesApp.StartAsync(Store.Sqlite);
        await m.PostAsync("/simulator/api/reply", new { mobileNumber = "(212) 555-0199", body = "stop" });

        var report = await m.Contacts.ImportAsync(new { contacts = new[] { ContactsApp.Row("P7", "Dee", "Nguyen", "212-555-0199") } });
        var (response, _) = await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", uniqueCampusId = "P7", messageContent = "Hi" });

        Assert.True((await m.Contacts.GetAsync("/v2/contacts/SS/by-id/P7")).GetProperty("optedOut").GetBoolean());
        Assert.Contains("texted STOP", Assert.Single(report.GetProperty("notices").EnumerateArray()).Str("reason"));
        Assert.False(response.IsSuccessStatusCode);
        Assert.DoesNotContain((await m.PhoneAsync("2125550199")).EnumerateArray(), t => t.Str("body") == "Hi");
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task BatchStatusByIdentifierAloneForACredentialThatMayUseTheTeam(Store store)
    {
        await using var c = await ContactsApp.StartAsync(store);
        await c.App.AddTeamAsync("ADM", "Admissions");
        var report = await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1") } });
        var id = report.Str("batchIdentifier")!;
        using var admissions = c.App.Http(await c.App.CreateCredentialAsync(teams: ["ADM"]));
        using var writeOnly = c.App.Http(await c.App.CreateCredentialAsync(scopes: [Cadence.Credentials.Scope.ContactsWrite]));

        var status = await c.GetAsync($"/v2/Imports/{id}");
        var lowerCase = await c.GetAsync($"/v2/imports/{id.ToUpperInvariant()}");
        var otherTeam = await ProblemAssert.IsProblemAsync(await admissions.GetAsync($"/v2/Imports/{id}", Ct), HttpStatusCode.NotFound, "batch_not_found");
        var unknownId = Guid.CreateVersion7().ToString();
        var unknown = await ProblemAssert.IsProblemAsync(await c.Client.GetAsync($"/v2/Imports/{unknownId}", Ct), HttpStatusCode.NotFound, "batch_not_found");

        Assert.Equal((id, "SS", 1), (status.Str("batchIdentifier"), status.Str("departmentCode"), status.Int("created")));
        Assert.Equal(id, lowerCase.Str("batchIdentifier"));
        Assert.Equal(otherTeam.GetProperty("title").GetString(), unknown.GetProperty("title").GetString());
        Assert.Equal(otherTeam.GetProperty("detail").GetString()!.Replace(id, unknownId), unknown.GetProperty("detail").GetString());
        await ProblemAssert.IsProblemAsync(await c.Client.GetAsync("/v2/Imports/not-a-batch", Ct), HttpStatusCode.BadRequest, "invalid_batch_identifier");
        await ProblemAssert.IsProblemAsync(await writeOnly.GetAsync($"/v2/Imports/{id}", Ct), HttpStatusCode.Forbidden, "scope_missing");
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task NoTextGoesToANumberWhoseStudentTextedStopWhateverTheContactRowSays(Store store)
    {
        await using var m = await MessagesApp.StartAsync(store);
        // As a racing import could leave it: the student's STOP is on record, the contact row says opted in.
        await m.App.WithServicesAsync(async (services, organization) =>
        {
            var db = services.GetRequiredService<CadenceDb>();
            var team = await db.Teams.SingleAsync(t => t.DepartmentCode == "SS");
            db.NumberOptOuts.Add(new Cadence.Contacts.NumberOptOut
            {
                OrganizationId = organization.Id, TeamId = team.Id, MobileNumber = "1-716-555-0101", Source = "keyword", At = DateTime.UtcNow,
            });
            return await db.SaveChangesAsync();
        });

        var (_, sent) = await m.PostAsync("/v2/messages/CreateAndSend", new { departmentCode = "SS", mobileNumber = "7165550101", messageContent = "Hi Ada" });

        Assert.True(await Eventually.TrueAsync(async () =>
            (await m.Contacts.GetAsync($"/v2/messages/{sent.GetProperty("id").GetInt64()}")).Str("status") == "failed", TimeSpan.FromSeconds(10)));
        Assert.DoesNotContain((await m.PhoneAsync("7165550101")).EnumerateArray(), t => t.Str("body") == "Hi Ada" && t.Str("status") != "failed");
    }

    [Fact]
    public async Task DeletesSentSideBySideAnswerOne204AndThe404s()
    {
        await using var m = await MessagesApp.StartAsync(Store.Postgres);

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => m.Client.DeleteAsync("/v2/contacts/SS/by-id/P2", Ct)));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.NoContent));
        Assert.Equal(3, answers.Count(a => a.StatusCode == HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task AnUnknownCampusIdIsAnEmptyConversationNotTheStrangersTexts()
    {
        await using var m = await MessagesApp.StartAsync(Store.Sqlite);
        await m.PostAsync("/simulator/api/reply", new { mobileNumber = "(212) 555-0199", body = "Who is this?" });

        var page = await m.Contacts.GetAsync("/v2/messages?departmentCode=SS&uniqueCampusId=NOPE");

        Assert.Empty(page.GetProperty("messages").EnumerateArray());
    }
}
