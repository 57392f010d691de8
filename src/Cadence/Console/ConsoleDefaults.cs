namespace Cadence.Console;

public static class ConsoleDefaults
{
    /// <summary>The cookie scheme of the web console; API requests never use it.</summary>
    public const string Scheme = "Console";
    public const string CookieName = "cadence_console";

    /// <summary>Any signed-in, enabled console user.</summary>
    public const string Policy = "console";

    /// <summary>Owners and team admins: API credentials.</summary>
    public const string AdminPolicy = "console-admin";

    public const string AdminClaim = "console_admin";

    /// <summary>Owners only: the audit log, which spans every team.</summary>
    public const string OwnerPolicy = "console-owner";

    public const string OwnerClaim = "console_owner";

    /// <summary>A session lasts this long from sign-in, however busy.</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);
}
