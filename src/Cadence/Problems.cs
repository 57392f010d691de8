using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Cadence;

/// <summary>RFC 9457 problem details, with a stable machine-readable "code" beside the human title and detail.</summary>
public static class Problems
{
    public static ProblemDetails Create(int status, string title, string detail, string code) => new()
    {
        Status = status,
        Title = title,
        Detail = detail,
        Extensions = { ["code"] = code },
    };

    public static ProblemHttpResult Result(int status, string title, string detail, string code) =>
        TypedResults.Problem(Create(status, title, detail, code));

    public static ValueTask WriteAsync(IProblemDetailsService service, HttpContext context, int status, string title, string detail, string code)
    {
        context.Response.StatusCode = status;
        return service.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = Create(status, title, detail, code) });
    }
}
