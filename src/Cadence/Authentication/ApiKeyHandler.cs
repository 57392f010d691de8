using System.Text.Encodings.Web;
using Cadence.Credentials;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Cadence.Authentication;

/// <summary>
/// The API credential scheme. No credential → NoResult (the challenge asks for one); a credential that does
/// not verify → Fail with the reason; a good one → Success, with the <see cref="ApiCaller"/> set on the request.
/// </summary>
internal sealed class ApiKeyHandler(
    IOptionsMonitor<ApiKeyOptions> options, ILoggerFactory loggerFactory, UrlEncoder encoder,
    CredentialVerifier verifier, FailureThrottle throttle, LastUsedTracker lastUsed,
    IProblemDetailsService problemDetails, TimeProvider time)
    : AuthenticationHandler<ApiKeyOptions>(options, loggerFactory, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (PresentedCredential.InQuery(Request.Query))
        {
            return AuthenticateResult.Fail(CredentialRejected.InQueryString);
        }
        var address = Context.Connection.RemoteIpAddress;
        try
        {
            var presented = PresentedCredential.Read(Request.Headers);
            if (presented is not { } credential)
            {
                return AuthenticateResult.NoResult();
            }
            if (throttle.RetryAfter(address) is { } wait)
            {
                return AuthenticateResult.Fail(CredentialRejected.Throttled(wait));
            }
            var snapshot = await verifier.VerifyAsync(credential.Key, credential.Secret, Context.RequestAborted);
            lastUsed.Record(snapshot.Id, time.GetUtcNow().UtcDateTime, address);
            var caller = snapshot.Caller;
            Context.Features.Set(caller);
            return AuthenticateResult.Success(new AuthenticationTicket(caller.Principal, Scheme.Name));
        }
        catch (CredentialRejected rejected)
        {
            // A right secret on a revoked or expired credential is not guessing; everything else counts.
            if (rejected == CredentialRejected.Invalid || rejected.Code == "credentials_malformed")
            {
                throttle.RecordFailure(address);
            }
            Logger.LogInformation("API credential rejected: {Code} from {Address}", rejected.Code, address);
            return AuthenticateResult.Fail(rejected);
        }
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
            Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString();
        }
        await Problems.WriteAsync(problemDetails, Context, rejected.Status, rejected.Title, rejected.Message, rejected.Code);
    }
}
