using System.Net;
using Cadence.Audit;
using Cadence.Tests.Infrastructure;
using Cadence.Users;

namespace Cadence.Tests.Console;

/// <summary>The anonymous forms (/login, /setup) hold bounded memory whatever a client posts.</summary>
public sealed class SignInLimitsTests
{
    [Fact]
    public async Task AnEmailLongerThan254CharactersIsAWrongCredentialWithoutThrottleEntry()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        await AddOwnerAsync(app);
        using var forms = new ConsoleForms(app.Address);
        await forms.LoadAsync();
        var longEmail = new string('a', 255 - "@college.edu".Length) + "@college.edu";

        // Past the five free failures an email is throttled; a too-long one is never remembered, so it never is.
        for (var i = 0; i < LoginThrottleFree + 2; i++)
        {
            var answer = await forms.SignInAsync(longEmail, "wrong " + i);
            Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
            Assert.Contains("do not match an account", await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
        for (var i = 0; i < LoginThrottleFree; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await forms.SignInAsync(ConsoleApp.OwnerEmail, "wrong " + i)).StatusCode);
        }
        Assert.Equal((HttpStatusCode)429, (await forms.SignInAsync(ConsoleApp.OwnerEmail, ConsoleApp.Password)).StatusCode);
    }

    static Task AddOwnerAsync(CadenceApp app) => app.WithServicesAsync((services, organization) => services.GetRequiredService<UserService>()
        .AddAsync(organization.Id, ConsoleApp.OwnerEmail, "S000", UserRole.Owner, null, ConsoleApp.Password, new Actor("test"), default, "Olive Owner"));

    const int LoginThrottleFree = Cadence.Console.LoginThrottle.FreeFailuresPerEmail;

    [Theory]
    [InlineData("/login")]
    [InlineData("/setup?token=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public async Task AnOversizedFormIsA413PageNot500(string path)
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        using var forms = new ConsoleForms(app.Address);
        await forms.LoadAsync();

        var answer = await forms.PostAsync(path, ("Email", new string('a', 64 * 1024) + "@college.edu"), ("Password", "whatever"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.StatusCode);
        Assert.Equal("text/html", answer.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Too large", await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task FourMebibyteEmailsUnderA256MibHeapAreRefusedAndTheServerKeepsServing()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        await using var server = await ServerProcess.StartAsync(database, new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x10000000" });
        using var forms = new ConsoleForms(server.Address, expectContinue: true);
        await forms.LoadAsync();

        // The audit's attack: a different ~4 MiB email each time; 24 of them made every later request a 500.
        for (var i = 0; i < 40; i++)
        {
            var email = i + new string('x', 4 * 1024 * 1024 - 20) + "@college.edu";
            HttpResponseMessage answer;
            try
            {
                answer = await forms.SignInAsync(email, "password");
            }
            catch (HttpRequestException e)
            {
                throw new InvalidOperationException($"Sign-in {i}: {e.Message}; the server has exited: {server.Process.HasExited}\n{server.Output}", e);
            }
            Assert.InRange((int)answer.StatusCode, 400, 499);
        }

        var page = await forms.GetAsync("/login");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        await forms.LoadAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await forms.SignInAsync("nobody@college.edu", "password")).StatusCode);
    }
}
