using System.Diagnostics;
using System.Net;
using Cadence.Tests.Infrastructure;
using Cadence.Webhooks;

namespace Cadence.Tests.Webhooks;

/// <summary>Webhook requests stay off the server's own networks unless Cadence:Webhooks:AllowPrivateNetworks is true.</summary>
public sealed class SsrfTests
{
    public static readonly string[] PrivateUrls =
        ["http://10.0.0.1/hooks", "http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:8080/", "http://[::1]/", "http://[::ffff:10.0.0.1]/", "http://[fe80::1]/"];

    public static readonly string[] NotPlainHttpUrls = ["ftp://files.example.edu/", "https://user:password@sis.example.edu/hooks", "/relative/path", ""];

    public static TheoryData<string> PrivateUrlCases => new(PrivateUrls);

    public static TheoryData<string> NotPlainHttpUrlCases => new(NotPlainHttpUrls);

    [Theory]
    [MemberData(nameof(PrivateUrlCases))]
    public void APrivateAddressIsNoWebhookUrl(string url)
    {
        var refused = Assert.Throws<CadenceException>(() => WebhookUrl.Validate(url, allowPrivateNetworks: false));
        Assert.Equal("webhook_url_private", refused.Code);
        Assert.Contains("AllowPrivateNetworks", refused.Message);
        WebhookUrl.Validate(url, allowPrivateNetworks: true);
    }

    [Theory]
    [MemberData(nameof(NotPlainHttpUrlCases))]
    public void AUrlThatIsNotAPlainHttpAddressIsNoWebhookUrl(string url) =>
        Assert.Equal("invalid_webhook_url", Assert.Throws<CadenceException>(() => WebhookUrl.Validate(url, allowPrivateNetworks: true)).Code);

    /// <summary>The addresses themselves are the unit cases above; this proves adding a webhook uses the rule.</summary>
    [Fact]
    public async Task APrivateAddressOrOneThatIsNotPlainHttpIsRefusedWhenTheWebhookIsAdded()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);

        foreach (var url in PrivateUrls)
        {
            var refused = await Assert.ThrowsAsync<CadenceException>(() => app.AddWebhookAsync(url));
            Assert.Equal("webhook_url_private", refused.Code);
            Assert.Contains("AllowPrivateNetworks", refused.Message);
        }
        foreach (var url in NotPlainHttpUrls)
        {
            Assert.Equal("invalid_webhook_url", (await Assert.ThrowsAsync<CadenceException>(() => app.AddWebhookAsync(url))).Code);
        }
    }

    [Fact]
    public async Task ANameThatResolvesToLoopbackIsRefusedAtConnectionTimeWithoutRetries()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        await using var receiver = await Receiver.StartAsync();
        await app.AddWebhookAsync($"http://localhost:{receiver.Address.Port}/hooks"); // a name: accepted, checked on connecting
        await app.AppendEventAsync();

        Assert.True(await Eventually.TrueAsync(async () => (await app.DeliveryAsync()).Status == DeliveryStatus.Failed, TimeSpan.FromSeconds(10)));
        var delivery = await app.DeliveryAsync();
        Assert.StartsWith("refused: localhost is ", delivery.ResponseText);
        Assert.Equal(1, delivery.Attempts);
        Assert.Empty(receiver.Requests);
    }

    [Theory]
    [InlineData("http://10.0.0.1/")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://localhost/")]
    public async Task TheSenderRefusesPrivateDestinationsBeforeConnecting(string url)
    {
        using var sender = new WebhookSender(new WebhookSettings());
        var watch = Stopwatch.StartNew();
        var outcome = await sender.SendAsync(url, "evt_test", "{}", [WebhookSecrets.New()], DateTimeOffset.UtcNow, TestContext.Current.CancellationToken);
        Assert.False(outcome.Success);
        Assert.True(outcome.Refused, outcome.Text);
        Assert.StartsWith("refused: ", outcome.Text);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), "it tried to connect"); // 10.0.0.1 would hang until the timeout
    }

    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("192.168.1.1", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("::1", true)]
    [InlineData("::", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("::ffff:169.254.169.254", true)]
    [InlineData("64:ff9b::a9fe:a9fe", true)]
    [InlineData("2002:0a00:0001::1", true)]
    [InlineData("8.8.8.8", false)]
    [InlineData("203.0.114.7", false)]
    [InlineData("2606:4700:4700::1111", false)]
    [InlineData("::ffff:8.8.8.8", false)]
    public void PrivateLoopbackAndLinkLocalRangesAreRecognised(string address, bool isPrivate) =>
        Assert.Equal(isPrivate, NetworkGuard.IsPrivate(IPAddress.Parse(address)));
}
