using System.Net;
using System.Net.Http.Json;
using Cadence.Credentials;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Contacts;

public sealed class ContactAccessTests
{
    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task ReadsNeedContactsReadAndWritesNeedContactsWrite(Store store)
    {
        await using var c = await ContactsApp.StartAsync(store);
        await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1") } });
        var ct = TestContext.Current.CancellationToken;
        using var readOnly = c.App.Http(await c.App.CreateCredentialAsync(scopes: [Scope.ContactsRead]));
        using var writeOnly = c.App.Http(await c.App.CreateCredentialAsync(scopes: [Scope.ContactsWrite]));

        Assert.Equal(HttpStatusCode.OK, (await readOnly.GetAsync("/v2/contacts/SS/7165550101", ct)).StatusCode);
        var refusedWrite = await readOnly.PostAsJsonAsync("/v2/contacts/SS/import", new { contacts = new[] { ContactsApp.Row("P2") } }, ct);
        await ProblemAssert.IsProblemAsync(refusedWrite, HttpStatusCode.Forbidden, "scope_missing");
        var refusedRead = await writeOnly.GetAsync("/v2/contacts/SS/7165550101", ct);
        await ProblemAssert.IsProblemAsync(refusedRead, HttpStatusCode.Forbidden, "scope_missing");
        Assert.Equal(HttpStatusCode.OK, (await writeOnly.PostAsJsonAsync("/v2/contacts/SS/import", new { contacts = new[] { ContactsApp.Row("P2", mobile: "7165550102") } }, ct)).StatusCode);
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task ACredentialOfAnotherTeamLearnsNothingAboutThisOne(Store store)
    {
        await using var c = await ContactsApp.StartAsync(store);
        await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1") } });
        await c.App.AddTeamAsync("ADM");
        var ct = TestContext.Current.CancellationToken;
        using var admissions = c.App.Http(await c.App.CreateCredentialAsync(teams: ["ADM"]));

        var existing = await admissions.GetAsync("/v2/contacts/SS/7165550101", ct);
        var missing = await admissions.GetAsync("/v2/contacts/SS/7165550199", ct);
        var import = await admissions.PostAsJsonAsync("/v2/contacts/SS/import", new { contacts = new[] { ContactsApp.Row("P9") } }, ct);

        await ProblemAssert.IsProblemAsync(existing, HttpStatusCode.Forbidden, "team_not_granted");
        await ProblemAssert.IsProblemAsync(missing, HttpStatusCode.Forbidden, "team_not_granted");
        await ProblemAssert.IsProblemAsync(import, HttpStatusCode.Forbidden, "team_not_granted");
        Assert.Equal(1, await c.ContactCountAsync());
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task ContactsOfOneTeamAreInvisibleFromAnother(Store store)
    {
        await using var c = await ContactsApp.StartAsync(store);
        await c.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1") } });
        await c.App.AddTeamAsync("ADM");

        await c.GetAsync("/v2/contacts/ADM/7165550101", HttpStatusCode.NotFound);
        var page = await c.GetAsync("/v2/contacts/ADM");
        Assert.Empty(page.GetProperty("contacts").EnumerateArray());
    }
}
