using Cadence.Events;
using Cadence.Tests.Contacts;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Events;

public sealed class OtherEventTests
{
    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task AnImportCompletedEventCarriesTheBatchCounts(Store store)
    {
        await using var app = await ContactsApp.StartAsync(store);
        await app.ImportAsync(new { contacts = new[] { ContactsApp.Row("P1", mobile: "716-555-0101") } });

        var report = await app.ImportAsync(new
        {
            contacts = new[]
            {
                ContactsApp.Row("P1", mobile: "716-555-0101"), ContactsApp.Row("P2", mobile: "716-555-0102"), ContactsApp.Row("P3", mobile: "716-555-010"),
            },
        });

        var events = await app.App.StoredAsync(EventTypes.ImportCompleted);
        Assert.Equal(2, events.Count);
        var data = events[1].Data();
        Assert.Equal(report.Str("batchIdentifier"), data.Str("batchIdentifier"));
        Assert.Equal((3, 1, 0, 1, 1), (data.Int("total"), data.Int("created"), data.Int("updated"), data.Int("unchanged"), data.Int("failed")));
        Assert.Equal("json", data.Str("format"));
        Assert.Equal("SS", events[1].Str("departmentCode"));
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task RevokingACredentialWritesOneEventOfItsOnlyTeam(Store store)
    {
        await using var app = await CadenceApp.StartAsync(store);
        await app.AddTeamAsync("SS");
        await app.AddTeamAsync("FA");
        var one = await app.CreateCredentialAsync("Banner", teams: ["SS"]);
        var two = await app.CreateCredentialAsync("CRM", teams: ["SS", "FA"]);

        await app.RevokeAsync(one.Credential.Key, "left on a laptop");
        await app.RevokeAsync(one.Credential.Key, "again"); // already revoked: nothing changes
        await app.RevokeAsync(two.Credential.Key);

        var events = await app.StoredAsync(EventTypes.CredentialRevoked);
        Assert.Equal(2, events.Count);
        Assert.Equal("SS", events[0].Str("departmentCode"));
        Assert.Equal(one.Credential.Key, events[0].Data().Str("key"));
        Assert.Equal("left on a laptop", events[0].Data().Str("reason"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, events[1].GetProperty("departmentCode").ValueKind);
        Assert.Equal(["FA", "SS"], events[1].Data().GetProperty("teams").EnumerateArray().Select(t => t.GetString()).ToArray());
        Assert.DoesNotContain("cds_", events[0].GetRawText() + events[1].GetRawText());
    }

    [Fact]
    public async Task ALeakedSecretRevokedByPresentingItWritesTheEvent()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        var leaked = await app.CreateCredentialAsync("Leaky");

        var response = await app.Http().PostAsync("/v2/credentials/revoke",
            System.Net.Http.Json.JsonContent.Create(new { secrets = new[] { leaked.Secret.Reveal() } }), TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var e = Assert.Single(await app.StoredAsync(EventTypes.CredentialRevoked));
        Assert.Equal(leaked.Credential.Key, e.Data().Str("key"));
    }
}
