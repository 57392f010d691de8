using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cadence.Data;
using Cadence.Email;
using Cadence.Tests.Contacts;
using Cadence.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Tests.Email;

/// <summary>A server that sends email through a test SMTP server on loopback, with a team "SS" and a full credential.</summary>
public sealed class EmailApp : IAsyncDisposable
{
    public required TestSmtpServer Smtp { get; init; }
    public required CadenceApp App { get; init; }
    public TestDatabase Database => App.Database;
    public required HttpClient Client { get; init; }

    /// <param name="smtpUp">False: the relay's port is reserved but nothing listens until the test starts it.</param>
    public static async Task<EmailApp> StartAsync(Store store = Store.Sqlite, bool smtpUp = true, Dictionary<string, string?>? settings = null)
    {
        var smtp = smtpUp ? await TestSmtpServer.StartNewAsync() : TestSmtpServer.Reserve();
        var app = await CadenceApp.StartAsync(store, smtp.Settings(settings));
        return new EmailApp { Smtp = smtp, App = app, Client = await app.TeamClientAsync("SS", "Student Success") };
    }

    public async Task<JsonElement> ImportAsync(object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await Client.PostAsJsonAsync("/v2/contacts/SS/import", body, TestContext.Current.CancellationToken);
        return await ContactsApp.Expect(response, expected);
    }

    public Task<List<EmailMessage>> OutboxAsync() => App.WithServicesAsync((services, _) =>
        services.GetRequiredService<CadenceDb>().EmailMessages.AsNoTracking().OrderBy(m => m.Id).ToListAsync());

    /// <summary>Sets the team's notification addresses and choices as the console page stores them.</summary>
    public Task SetNotificationsAsync(string team, string[] addresses, bool optOuts = true, bool unknownNumbers = true) =>
        App.WithServicesAsync(async (services, _) =>
        {
            var db = services.GetRequiredService<CadenceDb>();
            var id = await db.Teams.Where(t => t.DepartmentCode == team).Select(t => t.Id).SingleAsync();
            db.TeamEmailSettings.Add(new TeamEmailSettings
            {
                TeamId = id, Addresses = string.Join('\n', addresses), OptOutChanges = optOuts, UnknownNumbers = unknownNumbers,
            });
            return await db.SaveChangesAsync();
        });

    /// <summary>A text from a phone, through the simulator's inbound call.</summary>
    public async Task TextInAsync(string from, string body)
    {
        var response = await Client.PostAsJsonAsync("/simulator/api/reply", new { mobileNumber = from, body }, TestContext.Current.CancellationToken);
        await ContactsApp.Expect(response, HttpStatusCode.OK);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}
