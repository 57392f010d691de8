using IPAddress = System.Net.IPAddress;
using System.Text.Encodings.Web;
using Cadence.Credentials;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Cadence.Metrics;

namespace Cadence.Authentication;

/// <summary>
/// The API credential scheme. No credential → NoResult (the challenge asks for one); a credential that does
/// not verify → Fail with the reason; a good one → Success, with the <see cref="ApiCaller"/> set on the request.
/// </summary>
internal sealed class ApiKeyHandler(
    IOptionsMonitor<ApiKeyOptions> options, ILoggerFactory loggerFactory, UrlEncoder encoder,
    CredentialVerifier verifier, CredentialCache cache, FailureThrottle throttle, LastUsedTracker lastUsed,
    IProblemDetailsService problemDetails, TimeProvider time)
    : AuthenticationHandler<ApiKeyOptions>(options, loggerFactory, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (CredentialsInQuery.Found(Request))
        {
            CadenceMetrics.AuthFailure(CredentialRejected.InQueryString.Code);
            return AuthenticateResult.Fail(CredentialRejected.InQueryString);
        }
        var address = Context.Connection.RemoteIpAddress;
        try
        {
            var authorization = Request.Headers.Authorization;
            var connection = authorization.Count == 1 ? VerifiedConnection.For(Context) : null;
            var now = time.GetUtcNow().UtcDateTime;
            if (connection?.Recall(authorization[0]!, cache, now) is { } known)
            {
                return Throttled(address) ?? Succeed(known, address, now);
            }
            var presented = PresentedCredential.Read(Request.Headers);
            if (presented is not { } credential)
            {
                return AuthenticateResult.NoResult();
            }
            // A throttled address is refused even with a good credential, so a guesser cannot tell a right guess.
            if (Throttled(address) is { } refused)
            {
                return refused;
            }
            var (verified, goodUntil) = await verifier.VerifyAsync(credential.Key, credential.Secret, Context.RequestAborted);
            connection?.Remember(authorization[0]!, verified, goodUntil);
            return Succeed(verified, address, now);
        }
        catch (CredentialRejected rejected)
        {
            // A right secret on a revoked or expired credential is not guessing; everything else counts.
            if (rejected == CredentialRejected.Invalid || rejected.Code == "credentials_malformed")
            {
                throttle.RecordFailure(address);
            }
            Logger.LogInformation("API credential rejected: {Code} from {Address}", rejected.Code, address);
            CadenceMetrics.AuthFailure(rejected.Code);
            return AuthenticateResult.Fail(rejected);
        }
    }

    AuthenticateResult? Throttled(IPAddress? address)
    {
        if (throttle.RetryAfter(address) is not { } wait)
        {
            return null;
        }
        CadenceMetrics.AuthFailure("auth_throttled");
        return AuthenticateResult.Fail(CredentialRejected.Throttled(wait));
    }

    AuthenticateResult Succeed(CredentialSnapshot credential, IPAddress? address, DateTime now)
    {
        lastUsed.Record(credential.Id, now, address);
        Context.Features.Set(credential.Caller);
        return credential.Caller.Authenticated;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var rejected = result.Failure as CredentialRejected ?? CredentialRejected.Missing;
        Response.StatusCode = rejected.Status;
        if (rejected.Status == StatusCodes.Status401Unauthorized)
        {
            Response.Headers.WWWAuthenticate = $"Basic realm=\"{Options.Realm}\"";
        }
        if (rejected.RetryAfter is { } retryAfter)
        {
            RetryAfter.Set(Response, retryAfter);
        }
        await Problems.WriteAsync(problemDetails, Context, rejected.Status, rejected.Title, rejected.Message, rejected.Code);
    }
}
