using System.Text.Json;
using Cadence.Audit;
using Cadence.Authentication;
using Cadence.Credentials;
using Cadence.Data;
using Cadence.Teams;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Contacts;

public static class ContactsApi
{
    // 100,000 contacts with custom fields fit well inside this; past it Kestrel answers 413.
    public const long MaxImportBytes = 128L * 1024 * 1024;

    // The largest legal contact: 100 custom fields of 1,000 characters, up to 6 bytes each when JSON-escaped (\uXXXX).
    public const long MaxContactBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapContacts(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapTeamGroup("/v2/contacts/{departmentCode}", "Contacts");

        group.MapPost("/import", ImportAsync).RequireScope(Scope.ContactsWrite).WithMetadata(new RequestSizeLimitAttribute(MaxImportBytes))
          .WithBody<ImportBody>("application/json", "text/csv", "text/tab-separated-values")
          .WithSummary("Import contacts: JSON {contacts: [...]} or text/csv; upserts by uniqueCampusId and reports each bad row");

        group.MapGet("/import/{batchIdentifier:guid}", ReportAsync).RequireScope(Scope.ContactsRead).WithSummary("The report of an earlier import");

        group.MapGet("/{mobileNumber}", async Task<Results<Ok<ContactResponse>, ProblemHttpResult>> (
            CallerTeam callerTeam, string mobileNumber, HttpContext http, CadenceDb db, CancellationToken cancellationToken) =>
        {
            var team = callerTeam.Team;
            if (!PhoneNumber.TryNormalize(mobileNumber, out var normalized))
            {
                return InvalidNumber(mobileNumber);
            }
            var contact = await db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.TeamId == team.Id && c.MobileNumber == normalized, cancellationToken);
            return contact is null ? NotFound(team, normalized) : TypedResults.Ok(contact.AsResponse());
        }).RequireScope(Scope.ContactsRead).WithSummary("A contact by mobile number, in any accepted format");

        group.MapGet("/by-id/{uniqueCampusId}", async Task<Results<Ok<ContactResponse>, ProblemHttpResult>> (
            CallerTeam callerTeam, string uniqueCampusId, HttpContext http, CadenceDb db, CancellationToken cancellationToken) =>
        {
            var team = callerTeam.Team;
            var contact = await db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.TeamId == team.Id && c.UniqueCampusId == uniqueCampusId.Trim(), cancellationToken);
            return contact is null ? NotFound(team, uniqueCampusId) : TypedResults.Ok(contact.AsResponse());
        }).RequireScope(Scope.ContactsRead).WithSummary("A contact by unique campus id");

        group.MapPost("", UpsertAsync).RequireScope(Scope.ContactsWrite).WithMetadata(new RequestSizeLimitAttribute(MaxContactBytes))
          .WithBody<ContactRow>("application/json")
          .WithSummary("Create or update one contact (the shape of an import row)");

        group.MapGet("", ContactListing.ListAsync).RequireScope(Scope.ContactsRead)
            .WithSummary("Contacts in order of last change, a page at a time (limit, cursor, updatedSince)");

        group.MapDelete("/{mobileNumber}", DeleteByNumberAsync).RequireScope(Scope.ContactsWrite)
            .WithSummary("Delete a contact by mobile number; its messages stay, an opt-out stays with the number");

        group.MapDelete("/by-id/{uniqueCampusId}", DeleteByIdAsync).RequireScope(Scope.ContactsWrite).WithSummary("Delete a contact by unique campus id");

        // The hosted call: no team in the path, so the batch's team is checked by its handler.
        routes.MapApiGroup("/v2/Imports", "Contacts").MapGet("/{batchIdentifier}", HostedReportAsync).RequireScope(Scope.ContactsRead)
            .WithSummary("The report of an earlier import, by its batch identifier alone (the hosted call)")
            .FiltersCallerTeams("the batch's team checked with MayUseTeam; another team's batch is a 404");

        return routes;
    }

    static async Task<Ok<ImportReport>> ImportAsync(CallerTeam callerTeam, ApiCaller caller, HttpContext http, ContactImporter importer, ImportGate gate, ImportSpool spool,
        CancellationToken cancellationToken)
    {
        var team = callerTeam.Team;
        // The body is received and its shape checked before a slot is taken: a slow client holds only its own upload.
        var separator = Separator(http.Request);
        var body = await spool.ReceiveAsync(http, caller.CredentialId, team.Id, team.DepartmentCode, cancellationToken);
        using IContactSource source = OpenSource(body, separator);
        using var slot = await gate.EnterAsync(cancellationToken);
        var batch = await importer.ImportAsync(team, source, new("import", http.ApiActor()), cancellationToken);
        return TypedResults.Ok(batch.AsReport(team.DepartmentCode));
    }

    static async Task<Results<Ok<ImportReport>, ProblemHttpResult>> ReportAsync(
        CallerTeam callerTeam, Guid batchIdentifier, CadenceDb db, CancellationToken cancellationToken)
    {
        var team = callerTeam.Team;
        var batch = await db.ImportBatches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == batchIdentifier && b.TeamId == team.Id, cancellationToken);
        return batch is null
            ? Problems.Result(StatusCodes.Status404NotFound, "Not found", $"Team {team.DepartmentCode} has no import {batchIdentifier}.", "batch_not_found")
            : TypedResults.Ok(batch.AsReport(team.DepartmentCode));
    }

    /// <summary>The single-contact call: an import of one row, whose failure is a 400 with the row's errors.</summary>
    static async Task<Results<Ok<ContactResponse>, ProblemHttpResult>> UpsertAsync(
        CallerTeam callerTeam, HttpContext http, CadenceDb db, ContactImporter importer, CancellationToken cancellationToken)
    {
        var team = callerTeam.Team;
        var input = await ReadJsonAsync(http.Request, root => JsonContactReader.ReadContact(root, 1), cancellationToken);
        using var source = new ListSource("api", [input]);
        var batch = await importer.ImportAsync(team, source, new("api", http.ApiActor()), cancellationToken);
        if (batch.Failed > 0)
        {
            return InvalidContact(batch.AsReport(team.DepartmentCode));
        }
        var id = input.UniqueCampusId!.Trim();
        var contact = await db.Contacts.AsNoTracking().SingleAsync(c => c.TeamId == team.Id && c.UniqueCampusId == id, cancellationToken);
        return TypedResults.Ok(contact.AsResponse());
    }

    /// <summary>Bounded like a row of an import: at most ContactInput.MaxErrorsPerRow errors, each cut short.</summary>
    static ProblemHttpResult InvalidContact(ImportReport report)
    {
        var shown = report.Errors.Take(5).Select(e => e.Reason).ToList();
        var detail = string.Join("; ", shown) + (report.Errors.Count > shown.Count ? $"; and {report.Errors.Count - shown.Count} more (see errors)" : "");
        var problem = Problems.Create(StatusCodes.Status400BadRequest, "Invalid contact", detail, "invalid_contact");
        problem.Extensions["errors"] = report.Errors;
        problem.Extensions["errorsTruncated"] = report.ErrorsTruncated;
        return TypedResults.Problem(problem);
    }

    static async Task<Results<NoContent, ProblemHttpResult>> DeleteByNumberAsync(
        CallerTeam callerTeam, string mobileNumber, HttpContext http, CadenceDb db, [FromServices] IContactChanges changes, TimeProvider time, CancellationToken cancellationToken)
    {
        var team = callerTeam.Team;
        if (!PhoneNumber.TryNormalize(mobileNumber, out var normalized))
        {
            return InvalidNumber(mobileNumber);
        }
        return await ContactDeletion.DeleteAsync(db, changes, team, c => c.MobileNumber == normalized, http.ApiActor(), time.GetUtcNow().UtcDateTime, cancellationToken)
            ? TypedResults.NoContent() : NotFound(team, normalized);
    }

    static async Task<Results<NoContent, ProblemHttpResult>> DeleteByIdAsync(
        CallerTeam callerTeam, string uniqueCampusId, HttpContext http, CadenceDb db, [FromServices] IContactChanges changes, TimeProvider time, CancellationToken cancellationToken)
    {
        var team = callerTeam.Team;
        var id = uniqueCampusId.Trim();
        return await ContactDeletion.DeleteAsync(db, changes, team, c => c.UniqueCampusId == id, http.ApiActor(), time.GetUtcNow().UtcDateTime, cancellationToken)
            ? TypedResults.NoContent() : NotFound(team, id);
    }

    /// <summary>The hosted call scripts use for a batch's status: no team in the path, so the batch's team is checked here.</summary>
    static async Task<Results<Ok<ImportReport>, ProblemHttpResult>> HostedReportAsync(
        string batchIdentifier, ApiCaller caller, CadenceDb db, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(batchIdentifier, out var id))
        {
            return Problems.Result(StatusCodes.Status400BadRequest, "Invalid batch identifier",
                "A batchIdentifier is the id an import answered with, such as 0193f1d2-7c4e-7b3a-9a51-2f6c1e0d4b8a.", "invalid_batch_identifier");
        }
        var found = await db.ImportBatches.AsNoTracking().Where(b => b.Id == id && b.OrganizationId == caller.OrganizationId)
            .Select(b => new { Batch = b, Code = db.Teams.Where(t => t.Id == b.TeamId).Select(t => t.DepartmentCode).First() })
            .SingleOrDefaultAsync(cancellationToken);
        // Another team's batch gets the same answer as no batch: its existence is not the caller's to learn.
        return found is null || !caller.MayUseTeam(found.Batch.TeamId)
            ? Problems.Result(StatusCodes.Status404NotFound, "Not found", $"There is no import {id}.", "batch_not_found")
            : TypedResults.Ok(found.Batch.AsReport(found.Code));
    }

    static ProblemHttpResult InvalidNumber(string mobileNumber) => Problems.Result(StatusCodes.Status400BadRequest, "Invalid mobile number",
        $"'{TextCut.Cut(mobileNumber, 30)}' is not a mobile number: {PhoneNumber.Rule}.", "invalid_mobile_number");

    static ProblemHttpResult NotFound(Team team, string what) =>
        Problems.Result(StatusCodes.Status404NotFound, "Not found", $"Team {team.DepartmentCode} has no contact {what}.", "contact_not_found");

    /// <summary>The import's format from its Content-Type: null for JSON, else the CSV separator.</summary>
    static char? Separator(HttpRequest request) => (RequestBody.MediaType(request) ?? "application/json") switch
    {
        "application/json" => null,
        "text/csv" => ',',
        "text/tab-separated-values" => '\t',
        var other => throw new CadenceException($"An import is application/json, text/csv or text/tab-separated-values, not {TextCut.Cut(other, 60)}.",
            StatusCodes.Status415UnsupportedMediaType),
    };

    static IContactSource OpenSource(FileStream body, char? separator)
    {
        try
        {
            return separator is { } s ? CsvContactReader.Open(body, s) : JsonImportSource.Open(body);
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    static async Task<T> ReadJsonAsync<T>(HttpRequest request, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        RequestBody.RequireJson(request);
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, default, cancellationToken);
            return read(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new CadenceException($"The body is not valid JSON: {e.Message}");
        }
        catch (InvalidOperationException)
        {
            throw new CadenceException(RequestErrors.NotUnicode);
        }
    }
}
