using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cadence.Audit;
using Cadence.Contacts;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Contacts;

/// <summary>
/// The calls of a public PowerCampus-to-Cadence nightly sync, in the order and shape its Python makes them
/// (a requests.Session with auth=(key, secret), Accept: application/json, raise_for_status after each call):
/// an import with 11-digit numbers, a numeric team code and every custom field (null where missing), the
/// batch status by GET /v2/Imports/{id}, a lookup per student by number, a single upsert, a delete.
/// </summary>
public sealed class PublicSyncReplayTests
{
    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task TheNightlySyncRunsUnchangedAgainstCadence(Store store)
    {
        await using var app = await CadenceApp.StartAsync(store);
        var team = await app.AddTeamAsync("1234567", "Advising");
        await app.WithServicesAsync(async (services, _) =>
        {
            var fields = services.GetRequiredService<CustomFieldService>();
            await fields.AddAsync(team, "Major", false, true, false, new Actor("test"));
            await fields.AddAsync(team, "Advisor", false, false, false, new Actor("test"));
            return 0;
        });
        var credential = await app.CreateCredentialAsync("PowerCampus nightly sync");
        using var session = new HttpClient { BaseAddress = app.Address };
        session.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Credential.Key}:{credential.Secret.Reveal()}")));
        session.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var ct = TestContext.Current.CancellationToken;

        // requests' json= sends compact JSON with Content-Type: application/json.
        var import = await RaiseForStatus(await session.PostAsync("/v2/contacts/1234567/import", Json(new
        {
            notificationEmail = (string?)null,
            contacts = new object[]
            {
                new { uniqueCampusId = "P000123", firstName = "Ada", lastName = "Lovelace", mobileNumber = "17165550101", optedOut = 0, allowMobileUpdate = 1,
                    customFields = new Dictionary<string, string?> { ["Major"] = "Mathematics", ["Advisor"] = null } },
                new { uniqueCampusId = "P000124", firstName = "Charles", lastName = "Babbage", mobileNumber = "17165550102", optedOut = 0, allowMobileUpdate = 1,
                    customFields = new Dictionary<string, string?> { ["Major"] = null, ["Advisor"] = null } },
            },
        }), ct));
        var batch = import.GetProperty("batchIdentifier").GetString();

        var status = await RaiseForStatus(await session.GetAsync($"/v2/Imports/{batch}", ct));
        Assert.Equal((2, 0), (status.GetProperty("created").GetInt32(), status.GetProperty("failed").GetInt32()));

        foreach (var number in new[] { "17165550101", "17165550102" })
        {
            var contact = await RaiseForStatus(await session.GetAsync($"/v2/contacts/1234567/{number}", ct));
            Assert.False(contact.GetProperty("optedOut").GetBoolean());
        }

        var upserted = await RaiseForStatus(await session.PostAsync("/v2/contacts/1234567", Json(new
        {
            uniqueCampusId = "P000125", firstName = "Grace", lastName = "Hopper", mobileNumber = "17165550103", optedOut = 1, allowMobileUpdate = 1,
            customFields = new Dictionary<string, string?> { ["Major"] = "Computer Science", ["Advisor"] = null },
        }), ct));
        Assert.True(upserted.GetProperty("optedOut").GetBoolean());

        var deleted = await session.DeleteAsync("/v2/contacts/1234567/17165550102", ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await session.GetAsync("/v2/contacts/1234567/17165550102", ct)).StatusCode);
    }

    static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    /// <summary>What the script's raise_for_status() allows: a 2xx, and then it reads the JSON.</summary>
    static async Task<JsonElement> RaiseForStatus(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
