using System.Text.Json;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Webhooks;

/// <summary>`cadence webhooks …` on a real SQLite file: the secret printed once, never listed; errors on stderr with exit code 1.</summary>
public sealed class WebhooksCliTests : IAsyncLifetime
{
    TestDatabase database = null!;

    public async ValueTask InitializeAsync() => database = await TestDatabase.CreateAsync(Store.Sqlite);

    public ValueTask DisposeAsync() => database.DisposeAsync();

    Task<CliResult> Run(params string[] args) => CliRunner.RunAsync(database, args);

    static void FailedWith(CliResult result, string message)
    {
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public async Task AddPrintsTheSecretOnceAndListNeverShowsIt()
    {
        Assert.Equal(0, (await Run("teams", "add", "SS", "--name", "Student Success")).ExitCode);
        var added = await Run("webhooks", "add", "https://sis.example.edu/cadence", "--event", "contact.opted_out", "--event", "message.received",
            "--team", "ss", "--json");
        Assert.True(added.ExitCode == 0, added.Error);
        var json = JsonDocument.Parse(added.Out).RootElement;
        var id = json.GetProperty("id").GetString()!;
        var secret = json.GetProperty("secret").GetString()!;
        Assert.StartsWith("whk_", id);
        Assert.Equal("https://sis.example.edu/cadence", json.GetProperty("url").GetString());
        Assert.Equal(["contact.opted_out", "message.received"], json.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["SS"], json.GetProperty("teams").EnumerateArray().Select(e => e.GetString()));
        Assert.StartsWith("whsec_", secret);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);

        var list = await Run("webhooks", "list", "--json");
        var table = await Run("webhooks", "list");
        var listed = Assert.Single(JsonDocument.Parse(list.Out).RootElement.EnumerateArray());
        Assert.Equal(id, listed.GetProperty("id").GetString());
        Assert.True(listed.GetProperty("enabled").GetBoolean());
        Assert.False(listed.TryGetProperty("secret", out _));
        Assert.DoesNotContain(secret["whsec_".Length..], list.Out + table.Out);
        Assert.Contains(id, table.Out);
        Assert.Contains("contact.opted_out,message.received", table.Out);
    }

    [Fact]
    public async Task RollSecretPrintsANewSecretAndRemoveDeletesTheEndpoint()
    {
        var added = JsonDocument.Parse((await Run("webhooks", "add", "https://sis.example.edu/cadence", "--event", "contact.opted_out", "--json")).Out).RootElement;
        var id = added.GetProperty("id").GetString()!;
        var rolled = await Run("webhooks", "roll-secret", id);
        Assert.Equal(0, rolled.ExitCode);
        Assert.Contains("Signing secret: whsec_", rolled.Out);
        Assert.DoesNotContain(added.GetProperty("secret").GetString()!, rolled.Out);
        Assert.Contains("24 hours", rolled.Out);

        var removed = await Run("webhooks", "remove", id);
        Assert.Equal(0, removed.ExitCode);
        Assert.Contains($"Removed webhook {id}.", removed.Out);
        Assert.Equal("[]", (await Run("webhooks", "list", "--json")).Out.Trim());
        FailedWith(await Run("webhooks", "remove", id), $"There is no webhook '{id}'.");
        FailedWith(await Run("webhooks", "roll-secret", "whk_nope"), "There is no webhook 'whk_nope'.");
    }

    [Fact]
    public async Task BadInputIsAClearErrorWithExitCodeOne()
    {
        FailedWith(await Run("webhooks", "add", "http://10.0.0.1/hooks", "--event", "contact.opted_out"), "private, loopback or link-local");
        FailedWith(await Run("webhooks", "add", "http://169.254.169.254/", "--event", "contact.opted_out"), "AllowPrivateNetworks");
        FailedWith(await Run("webhooks", "add", "gopher://example.edu/", "--event", "contact.opted_out"), "http:// or https://");
        FailedWith(await Run("webhooks", "add", "https://example.edu/", "--event", "contact.deleted"), "'contact.deleted' is not an event type");
        FailedWith(await Run("webhooks", "add", "https://example.edu/", "--event", "contact.opted_out", "--team", "NOPE"), "There is no team 'NOPE'.");
        var noEvent = await Run("webhooks", "add", "https://example.edu/");
        Assert.Equal(1, noEvent.ExitCode);
        Assert.Contains("--event", noEvent.Error);
        var unknown = await Run("webhooks", "add", "https://example.edu/", "--event", "contact.opted_out", "--secret", "mine");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("--secret", unknown.Error);
        Assert.Equal("[]", (await Run("webhooks", "list", "--json")).Out.Trim());
    }
}
