using System.Text.RegularExpressions;
using Cadence.Tests.Infrastructure;
using Cadence.Users;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cadence.Tests.Console.Sso;

/// <summary>Who a provider's identity signs in as, through real redirects between Chromium, Cadence and the provider.</summary>
public sealed class SsoMatchingTests(Browser browser)
{
    [Fact]
    public async Task SignInIsMatchedByVerifiedEmailAndLinksTheIdentity()
    {
        await using var sso = await SsoConsole.StartAsync(browser);
        await sso.Console.App.AddTeamAsync("BIO");
        await sso.Console.AddUserAsync("sam@college.edu", "S100", UserRole.User, "BIO", "Sam Staff");
        sso.Provider.Identity.Email = "Sam@College.edu";

        await SsoConsole.SignInAsync(sso.Page);
        await sso.Page.ScreenshotAsync("sso-signed-in");

        await Expect(sso.Page.GetByText("Sam Staff")).ToBeVisibleAsync();
        var user = await sso.UserAsync("sam@college.edu");
        Assert.Equal(sso.Provider.Identity.Subject, user.SsoSubject);
        Assert.Equal(sso.Provider.Address.ToString(), user.SsoIssuer);
        Assert.True(sso.Provider.UserInfoCalls > 0, "the sign-in never read the provider's userinfo endpoint");
        var signedIn = Assert.Single(await sso.AuditAsync("user.signed_in"), a => a.Target == "sam@college.edu");
        Assert.Contains("via Campus Login", signedIn.Detail);
        Assert.Contains(sso.Provider.Identity.Subject, signedIn.Detail);
        Assert.Equal("127.0.0.1", signedIn.IpAddress);
        Assert.Single(await sso.AuditAsync("user.sso_linked"));
    }

    [Fact]
    public async Task LaterSignInIsMatchedBySubjectSoANewEmailAtTheProviderTakesOverNoOtherAccount()
    {
        await using var sso = await SsoConsole.StartAsync(browser);
        await sso.Console.App.AddTeamAsync("BIO");
        await sso.Console.AddUserAsync("ann@college.edu", "S101", UserRole.User, "BIO", "Ann First");
        await sso.Console.AddUserAsync("bea@college.edu", "S102", UserRole.User, "BIO", "Bea Second");
        sso.Provider.Identity.Email = "ann@college.edu";
        await SsoConsole.SignInAsync(sso.Page);

        // The provider now gives Ann's identity Bea's address: the link, not the address, decides.
        sso.Provider.Identity.Email = "bea@college.edu";
        var later = await sso.NewPageAsync(browser);
        await SsoConsole.SignInAsync(later);

        await Expect(later.GetByText("Ann First")).ToBeVisibleAsync();
        Assert.Equal(0, await later.GetByText("Bea Second").CountAsync());
        Assert.Null((await sso.UserAsync("bea@college.edu")).SsoSubject);
        Assert.Equal(2, (await sso.AuditAsync("user.signed_in")).Count(a => a.Target == "ann@college.edu"));
        await later.Context.DisposeAsync();

        // And another identity at the provider with Ann's address does not get Ann's account.
        sso.Provider.Identity.Subject = Guid.NewGuid().ToString();
        sso.Provider.Identity.Email = "ann@college.edu";
        var stranger = await sso.NewPageAsync(browser);
        await SsoConsole.StartSignInAsync(stranger);
        await Expect(stranger.GetByRole(AriaRole.Heading, new() { Name = "You cannot sign in to Cadence with this account" })).ToBeVisibleAsync();
        await stranger.Context.DisposeAsync();
    }

    [Fact]
    public async Task UnknownIdentityIsRefusedWithAPageThatSaysToAskAnAdministrator()
    {
        await using var sso = await SsoConsole.StartAsync(browser);
        sso.Provider.Identity.Email = "nobody@college.edu";
        IResponse? answer = null;
        sso.Page.Response += (_, response) => answer = response.Url.Contains("/signin-oidc") ? response : answer;

        await SsoConsole.StartSignInAsync(sso.Page);

        await Expect(sso.Page.GetByRole(AriaRole.Heading, new() { Name = "You cannot sign in to Cadence with this account" })).ToBeVisibleAsync();
        await Expect(sso.Page.GetByText("Ask an administrator")).ToBeVisibleAsync();
        await sso.Page.ScreenshotAsync("sso-unknown-identity");
        Assert.Equal(403, answer!.Status);
        var refused = Assert.Single(await sso.AuditAsync("user.sso_refused"));
        Assert.Equal("nobody@college.edu", refused.Target);
        Assert.Contains(sso.Provider.Identity.Subject, refused.Detail);
        Assert.Equal("127.0.0.1", refused.IpAddress);
        await sso.Page.GotoAsync("/api");
        await Expect(sso.Page).ToHaveURLAsync(new Regex("/login"));
    }

    [Fact]
    public async Task AnEmailTheProviderSaysNothingAboutIsRefusedUnlessTheOperatorTrustsItsAddresses()
    {
        await using var sso = await SsoConsole.StartAsync(browser);
        await sso.Console.App.AddTeamAsync("BIO");
        await sso.Console.AddUserAsync("sam@college.edu", "S100", UserRole.User, "BIO");
        sso.Provider.Identity.Email = "sam@college.edu";
        sso.Provider.Identity.EmailVerified = null;

        await SsoConsole.StartSignInAsync(sso.Page);

        await Expect(sso.Page.GetByRole(AriaRole.Heading, new() { Name = "You cannot sign in to Cadence with this account" })).ToBeVisibleAsync();
        Assert.Null((await sso.UserAsync("sam@college.edu")).SsoSubject);

        await using var trusting = await SsoConsole.StartAsync(browser, new() { ["Cadence:Sso:TrustUnverifiedEmail"] = "true" });
        await trusting.Console.App.AddTeamAsync("BIO");
        await trusting.Console.AddUserAsync("sam@college.edu", "S100", UserRole.User, "BIO");
        trusting.Provider.Identity.Email = "sam@college.edu";
        trusting.Provider.Identity.EmailVerified = null;

        await SsoConsole.StartSignInAsync(trusting.Page);

        Assert.True(await Eventually.TrueAsync(async () => (await trusting.UserAsync("sam@college.edu")).SsoSubject is not null, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task AnEmailTheProviderHasNotVerifiedIsRefused()
    {
        await using var sso = await SsoConsole.StartAsync(browser);
        await sso.Console.App.AddTeamAsync("BIO");
        await sso.Console.AddUserAsync("sam@college.edu", "S100", UserRole.User, "BIO");
        sso.Provider.Identity.Email = "sam@college.edu";
        sso.Provider.Identity.EmailVerified = false;

        await SsoConsole.StartSignInAsync(sso.Page);

        await Expect(sso.Page.GetByRole(AriaRole.Heading, new() { Name = "You cannot sign in to Cadence with this account" })).ToBeVisibleAsync();
        await Expect(sso.Page.GetByText("not verified")).ToBeVisibleAsync();
        Assert.Null((await sso.UserAsync("sam@college.edu")).SsoSubject);
        Assert.DoesNotContain(await sso.AuditAsync("user.signed_in"), a => a.Target == "sam@college.edu");
    }

    [Fact]
    public async Task CreateUsersMakesAnUnknownIdentityAUserOfThatTeamAndAuditsIt()
    {
        await using var sso = await SsoConsole.StartAsync(browser, new() { ["Cadence:Sso:CreateUsers"] = "BIO" });
        var team = await sso.Console.App.AddTeamAsync("BIO");
        sso.Provider.Identity.Email = "new.person@college.edu";
        sso.Provider.Identity.Name = "New Person";

        await SsoConsole.SignInAsync(sso.Page);

        await Expect(sso.Page.GetByText("New Person")).ToBeVisibleAsync();
        var user = await sso.UserAsync("new.person@college.edu");
        Assert.False(user.IsOwner);
        var membership = Assert.Single(user.Memberships);
        Assert.Equal((team.Id, TeamRole.User), (membership.TeamId, membership.Role));
        Assert.Equal(sso.Provider.Identity.Subject, user.SsoSubject);
        var created = Assert.Single(await sso.AuditAsync("user.created"), a => a.Target == "new.person@college.edu");
        Assert.Equal("sso:Campus Login", created.Actor);
        Assert.Contains("BIO", created.Detail);
    }
}
