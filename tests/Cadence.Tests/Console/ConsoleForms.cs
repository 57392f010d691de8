using System.Net;
using System.Text.RegularExpressions;

namespace Cadence.Tests.Console;

/// <summary>Posts console forms over plain HTTP (no browser): a client holding the antiforgery cookie and token of a page it loaded.</summary>
public sealed partial class ConsoleForms : IDisposable
{
    readonly HttpClient client;

    /// <summary>The cookies the client holds (the session, antiforgery, TempData).</summary>
    public CookieContainer Cookies { get; } = new();
    string? token;

    /// <param name="expectContinue">Sends a body only once the server asks for it, as curl does for large ones: a refused
    /// body is then never sent, so the client can read the refusal.</param>
    public ConsoleForms(Uri address, bool expectContinue = false)
    {
        client = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(60),
            DefaultRequestHeaders = { ExpectContinue = expectContinue },
        };
    }

    public async Task LoadAsync(string path = "/login")
    {
        var page = await client.GetStringAsync(path, TestContext.Current.CancellationToken);
        token = CsrfField().Match(page).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(token), page);
    }

    public Task<HttpResponseMessage> PostAsync(string path, params (string Name, string Value)[] fields) =>
        client.PostAsync(path, new FormUrlEncodedContent([new("__csrf", token!), .. fields.Select(f => KeyValuePair.Create(f.Name, f.Value))]),
            TestContext.Current.CancellationToken);

    public Task<HttpResponseMessage> SignInAsync(string email, string password) => PostAsync("/login", ("Email", email), ("Password", password));

    public Task<HttpResponseMessage> GetAsync(string path, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }
        return client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public void Dispose() => client.Dispose();

    [GeneratedRegex("name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
