namespace Cadence.Docs;

/// <summary>
/// What the reference says about one call beyond what its endpoint declares: the operation id (the hosted API's
/// where it has one, so its deep links land), a short title for the menu and heading (the endpoint's summary
/// becomes the description's first line), examples, and the problem codes it can answer.
/// </summary>
public sealed record OperationFacts(string OperationId, string Title)
{
    /// <summary>An example request body.</summary>
    public object? Request { get; init; }

    /// <summary>An example answer.</summary>
    public object? Example { get; init; }

    /// <summary>The query string the code samples send, e.g. "limit=100".</summary>
    public string? Query { get; init; }

    /// <summary>Problem codes (keys of <see cref="ProblemCodes"/>) beyond those of the credential, scope and team.</summary>
    public string[] Errors { get; init; } = [];

    /// <summary>Said after the summary (markdown).</summary>
    public string? Notes { get; init; }

    /// <summary>No code samples: a call made by a provider (Twilio), not by a campus script.</summary>
    public bool NoSamples { get; init; }
}
