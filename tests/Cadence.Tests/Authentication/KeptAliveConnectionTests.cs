using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Cadence.Credentials;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Authentication;

/// <summary>
/// A client that keeps its connection open and sends the same Authorization header is recognised without
/// decoding or hashing again (VerifiedConnection). Every change to the credential must still take effect on
/// the very next request of that connection. Each test counts the connections its client opened, so it is
/// known to have stayed on one.
/// </summary>
public sealed class KeptAliveConnectionTests : IAsyncLifetime
{
    CadenceApp app = null!;
    int connectionsOpened;

    public async ValueTask InitializeAsync()
    {
        app = await CadenceApp.StartAsync(Store.Sqlite, new()
        {
            ["Cadence:AuthFailureLimit"] = "3",
            ["Cadence:AuthFailureWindow"] = "00:01:00",
        });
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();

    /// <summary>A client on a single kept-alive connection that counts how many connections it opened.</summary>
    HttpClient OneConnection(IssuedCredential? credential = null)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1,
            ConnectCallback = async (context, cancellationToken) =>
            {
                Interlocked.Increment(ref connectionsOpened);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        var client = new HttpClient(handler) { BaseAddress = app.Address };
        if (credential is not null)
        {
            client.DefaultRequestHeaders.Authorization = Basic(credential.Credential.Key, credential.Secret.Reveal());
        }
        return client;
    }

    static AuthenticationHeaderValue Basic(string key, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{key}:{secret}")));

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<HttpResponseMessage> GetAsync(HttpClient client)
    {
        var response = await client.GetAsync("/v2/ping", Ct);
        // Read the body so that the connection is free for the next request.
        await response.Content.LoadIntoBufferAsync(Ct);
        return response;
    }

    async Task AcceptedTwiceAsync(HttpClient client)
    {
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client)).StatusCode);
    }

    [Fact]
    public async Task RevokingRefusesTheNextRequestOnAConnectionThatAlreadyUsedTheCredential()
    {
        var issued = await app.CreateCredentialAsync();
        using var client = OneConnection(issued);
        await AcceptedTwiceAsync(client);

        await app.RevokeAsync(issued.Credential.Key, "leaked");

        await ProblemAssert.IsProblemAsync(await GetAsync(client), HttpStatusCode.Unauthorized, "credential_revoked");
        Assert.Equal(1, connectionsOpened);
    }

    [Fact]
    public async Task ExpiryRefusesTheNextRequestOnAKeptAliveConnection()
    {
        var issued = await app.CreateCredentialAsync(expiresIn: TimeSpan.FromDays(1));
        using var client = OneConnection(issued);
        await AcceptedTwiceAsync(client);

        app.Time.Advance(TimeSpan.FromDays(1));

        await ProblemAssert.IsProblemAsync(await GetAsync(client), HttpStatusCode.Unauthorized, "credential_expired");
        Assert.Equal(1, connectionsOpened);
    }

    [Fact]
    public async Task AnOldSecretOnAKeptAliveConnectionWorksUntilItsGracePeriodEndsAndNoLonger()
    {
        var original = await app.CreateCredentialAsync();
        using var client = OneConnection(original);
        await AcceptedTwiceAsync(client);

        await app.RollAsync(original.Credential.Key, TimeSpan.FromHours(1));
        await AcceptedTwiceAsync(client);
        app.Time.Advance(TimeSpan.FromHours(1));

        await ProblemAssert.IsProblemAsync(await GetAsync(client), HttpStatusCode.Unauthorized, "secret_superseded");
        Assert.Equal(1, connectionsOpened);
    }

    [Fact]
    public async Task RollingWithoutGraceRefusesTheOldSecretOnAKeptAliveConnectionAtOnce()
    {
        var original = await app.CreateCredentialAsync();
        using var client = OneConnection(original);
        await AcceptedTwiceAsync(client);

        await app.RollAsync(original.Credential.Key, TimeSpan.Zero);

        await ProblemAssert.IsProblemAsync(await GetAsync(client), HttpStatusCode.Unauthorized, "credentials_invalid");
        Assert.Equal(1, connectionsOpened);
    }

    [Fact]
    public async Task AnotherSecretOnTheSameConnectionIsCheckedAfresh()
    {
        var issued = await app.CreateCredentialAsync();
        using var client = OneConnection();
        async Task<HttpResponseMessage> SendAsync(string secret)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/ping");
            request.Headers.Authorization = Basic(issued.Credential.Key, secret);
            var response = await client.SendAsync(request, Ct);
            await response.Content.LoadIntoBufferAsync(Ct);
            return response;
        }
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(issued.Secret.Reveal())).StatusCode);

        var wrong = await SendAsync(SecretFormat.NewSecret().Reveal());

        await ProblemAssert.IsProblemAsync(wrong, HttpStatusCode.Unauthorized, "credentials_invalid");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(issued.Secret.Reveal())).StatusCode);
        Assert.Equal(1, connectionsOpened);
    }

    [Fact]
    public async Task AThrottledAddressIsRefusedOnAKeptAliveConnectionThatWasAccepted()
    {
        var issued = await app.CreateCredentialAsync();
        using var client = OneConnection(issued);
        await AcceptedTwiceAsync(client);

        // Guesses at other keys, so that nothing about this credential changes in the cache.
        for (var i = 0; i < 3; i++)
        {
            using var guesser = app.Http(SecretFormat.NewKey(), SecretFormat.NewSecret().Reveal());
            Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.GetAsync("/v2/ping", Ct)).StatusCode);
        }

        await ProblemAssert.IsProblemAsync(await GetAsync(client), HttpStatusCode.TooManyRequests, "auth_throttled");
        Assert.Equal(1, connectionsOpened);
    }
}
