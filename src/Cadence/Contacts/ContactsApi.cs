using System.Text.Json;
using Cadence.Audit;
using Cadence.Authentication;
using Cadence.Credentials;
using Cadence.Data;
using Cadence.Teams;
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
        var group = routes.MapApiGroup("/v2/contacts/{departmentCode}", "Contacts").RequireTeamAccess();

        group.MapPost("/import", async (string departmentCode, HttpContext http, CadenceDb db, ContactImporter importer, ImportGate gate, CancellationToken cancellationToken) =>
        {
            var team = await TeamLookup.FindAsync(db, http.ApiCaller(), departmentCode, cancellationToken);
            using var slot = await gate.EnterAsync(cancellationToken);
            var (format, rows, email) = await ReadImportAsync(http.Request, cancellationToken);
            var batch = await importer.ImportAsync(team, rows, new(format, "import", email, http.ApiActor()), cancellationToken);
            return TypedResults.Ok(batch.AsReport(team.DepartmentCode));
        }).RequireScope(Scope.ContactsWrite).WithMetadata(new RequestSizeLimitAttribute(MaxImportBytes))
          .WithBody<ImportBody>("application/json", "text/csv", "text/tab-separated-values")
          .WithSummary("Import contacts: JSON {contacts: [...]} or text/csv; upserts by uniqueCampusId and reports each bad row");

        group.MapGet("/import/{batchIdentifier:guid}", async (string departmentCode, Guid batchIdentifier, HttpContext http, CadenceDb db, CancellationToken cancellationToken) =>
        {
            var team = await TeamLookup.FindAsync(db, http.ApiCaller(), departmentCode, cancellationToken);
            var batch = await db.ImportBatches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == batchIdentifier && b.TeamId == team.Id, cancellationToken);
            return batch is null
                ? Problems.Result(StatusCodes.Status404NotFound, "Not found", $"Team {team.DepartmentCode} has no import {batchIdentifier}.", "batch_not_found")
                : TypedResults.Ok(batch.AsReport(team.DepartmentCode));
        }).RequireScope(Scope.ContactsRead).WithSummary("The report of an earlier import");

        group.MapGet("/{mobileNumber}", async (string departmentCode, string mobileNumber, HttpContext http, CadenceDb db, CancellationToken cancellationToken) =>
        {
            var team = await TeamLookup.FindAsync(db, http.ApiCaller(), departmentCode, cancellationToken);
            if (!PhoneNumber.TryNormalize(mobileNumber, out var normalized))
            {
                return Problems.Result(StatusCodes.Status400BadRequest, "Invalid mobile number",
                    $"'{(mobileNumber.Length > 30 ? mobileNumber[..30] + "…" : mobileNumber)}' is not a mobile number: {PhoneNumber.Rule}.", "invalid_mobile_number");
            }
            var contact = await db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.TeamId == team.Id && c.MobileNumber == normalized, cancellationToken);
            return contact is null ? NotFound(team, normalized) : TypedResults.Ok(contact.AsResponse());
        }).RequireScope(Scope.ContactsRead).WithSummary("A contact by mobile number, in any accepted format");

        group.MapGet("/by-id/{uniqueCampusId}", async (string departmentCode, string uniqueCampusId, HttpContext http, CadenceDb db, CancellationToken cancellationToken) =>
        {
            var team = await TeamLookup.FindAsync(db, http.ApiCaller(), departmentCode, cancellationToken);
            var contact = await db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.TeamId == team.Id && c.UniqueCampusId == uniqueCampusId.Trim(), cancellationToken);
            return contact is null ? NotFound(team, uniqueCampusId) : TypedResults.Ok(contact.AsResponse());
        }).RequireScope(Scope.ContactsRead).WithSummary("A contact by unique campus id");

        group.MapPost("", async Task<IResult> (string departmentCode, HttpContext http, CadenceDb db, ContactImporter importer, CancellationToken cancellationToken) =>
        {
            var team = await TeamLookup.FindAsync(db, http.ApiCaller(), departmentCode, cancellationToken);
            var input = await ReadJsonAsync(http.Request, root => JsonContactReader.ReadContact(root, 1), cancellationToken);
            var batch = await importer.ImportAsync(team, [input], new("api", "api", null, http.ApiActor()), cancellationToken);
            if (batch.Failed > 0)
            {
                var errors = batch.AsReport(team.DepartmentCode).Errors;
                var problem = Problems.Create(StatusCodes.Status400BadRequest, "Invalid contact", string.Join("; ", errors.Select(e => e.Reason)), "invalid_contact");
                problem.Extensions["errors"] = errors;
                return TypedResults.Problem(problem);
            }
            var id = input.UniqueCampusId!.Trim();
            var contact = await db.Contacts.AsNoTracking().SingleAsync(c => c.TeamId == team.Id && c.UniqueCampusId == id, cancellationToken);
            return TypedResults.Ok(contact.AsResponse());
        }).RequireScope(Scope.ContactsWrite).WithMetadata(new RequestSizeLimitAttribute(MaxContactBytes))
          .WithBody<ContactRow>("application/json").Produces<ContactResponse>().ProducesProblem(StatusCodes.Status400BadRequest)
          .WithSummary("Create or update one contact (the shape of an import row)");

        group.MapGet("", ContactListing.ListAsync).RequireScope(Scope.ContactsRead)
            .WithSummary("Contacts in order of last change, a page at a time (limit, cursor, updatedSince)");

        return routes;
    }

    static IResult NotFound(Team team, string what) =>
        Problems.Result(StatusCodes.Status404NotFound, "Not found", $"Team {team.DepartmentCode} has no contact {what}.", "contact_not_found");


    static async Task<(string Format, List<ContactInput> Rows, string? Email)> ReadImportAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        switch (RequestBody.MediaType(request) ?? "application/json")
        {
            case "application/json":
                var import = await ReadJsonAsync(request, JsonContactReader.ReadImport, cancellationToken);
                return ("json", import.Contacts, import.NotificationEmail);
            case "text/csv":
            case "text/tab-separated-values":
                // No size hint from Content-Length: a client could declare the limit and send nothing.
                return ("csv", await CsvContactReader.ReadAsync(request.Body, null,
                    RequestBody.MediaType(request) == "text/csv" ? ',' : '\t', cancellationToken), null);
            case var other:
                throw new CadenceException($"An import is application/json, text/csv or text/tab-separated-values, not {other}.",
                    StatusCodes.Status415UnsupportedMediaType);
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
            throw new CadenceException("The body holds text that is not valid Unicode (an unpaired surrogate escape).");
        }
    }
}
