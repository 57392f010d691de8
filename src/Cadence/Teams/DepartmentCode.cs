using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Cadence.Teams;

/// <summary>
/// A team's department code: 1 to 16 letters, digits, '-' or '_', case-insensitive and kept in upper case, so
/// " ss" and "SS" are one team. Stored as its string (<see cref="Team.DepartmentCode"/>); this type is where the
/// rule lives.
/// </summary>
public readonly partial record struct DepartmentCode
{
    public const int MaxLength = 16;

    public const string Rule = "use 1 to 16 letters, digits, '-' or '_'";

    readonly string? value;

    DepartmentCode(string value) => this.value = value;

    /// <summary>The code as a client may have typed it, trimmed and upper-cased, valid or not (for comparing and for showing).</summary>
    [return: NotNullIfNotNull(nameof(text))]
    public static string? Normalize(string? text) => text?.Trim().ToUpperInvariant();

    public static bool TryParse([NotNullWhen(true)] string? text, out DepartmentCode code)
    {
        var normalized = text is null ? "" : Normalize(text);
        code = Pattern().IsMatch(normalized) ? new DepartmentCode(normalized) : default;
        return code.value is not null;
    }

    /// <summary>The code, or a 400 that says what a code is.</summary>
    public static DepartmentCode Parse(string text) => TryParse(text, out var code) ? code
        : throw new CadenceException($"'{TextCut.Cut(text, 40)}' is not a department code: {Rule}.");

    public override string ToString() => value ?? "";

    [GeneratedRegex("^[A-Z0-9_-]{1,16}$")]
    private static partial Regex Pattern();
}
