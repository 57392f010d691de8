namespace Cadence.Contacts;

/// <summary>One import request and its report, kept so that the report can be read again later.</summary>
public sealed class ImportBatch
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public Guid TeamId { get; set; }
    public string? NotificationEmail { get; set; }

    /// <summary>json, csv or api.</summary>
    public required string Format { get; set; }
    public int Total { get; set; }
    public int Created { get; set; }
    public int Updated { get; set; }
    public int Unchanged { get; set; }
    public int Failed { get; set; }

    /// <summary>The row errors, at most ImportErrors.MaxKept of them (see ImportErrors.Serialize).</summary>
    public string Errors { get; set; } = "[]";
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }

    public ImportReport AsReport(string departmentCode)
    {
        var (errors, truncated, notices) = ImportErrors.Deserialize(Errors);
        return new(Id, departmentCode, NotificationEmail, "completed", Total, Created, Updated, Unchanged, Failed, errors, truncated, notices, CreatedAt);
    }
}

public sealed record RowError(int Row, string? UniqueCampusId, string Field, string Reason);

public sealed record ImportReport(
    Guid BatchIdentifier, string DepartmentCode, string? NotificationEmail, string Status,
    int Total, int Created, int Updated, int Unchanged, int Failed, IReadOnlyList<RowError> Errors, bool ErrorsTruncated,
    IReadOnlyList<RowError> Notices, DateTime CreatedAt);
