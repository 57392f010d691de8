namespace Cadence.Email;

/// <summary>
/// "Cadence:Smtp": the relay that import reports and team notifications go through. Without a Host, email is off.
/// Read as strings where a typo must get Cadence's own message rather than the configuration binder's.
/// </summary>
public sealed class SmtpSettings
{
    public string? Host { get; set; }

    /// <summary>Empty: 587 for StartTls, 465 for SslOnConnect, 25 for None.</summary>
    public string? Port { get; set; }
    public string? Username { get; set; }
    public string? Password { get; set; }

    /// <summary>The sender address, e.g. "Cadence &lt;cadence@college.edu&gt;" or a plain address.</summary>
    public string? From { get; set; }

    /// <summary>StartTls (the default), SslOnConnect, or None for a relay on the same machine.</summary>
    public string? Security { get; set; }

    /// <summary>How often an idle sender looks for due emails.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one SMTP conversation step may take before the attempt counts as failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    public SmtpSecurity ParsedSecurity => ParseSecurity(Security);

    public int ParsedPort => int.TryParse(Port, out var port) ? port
        : ParsedSecurity switch { SmtpSecurity.SslOnConnect => 465, SmtpSecurity.None => 25, _ => 587 };

    /// <summary>Refuses settings that could not work, so that a server does not start and then fail every email.</summary>
    public void Validate()
    {
        if (!Enabled)
        {
            return;
        }
        var host = Host!;
        if (host.Any(char.IsControl) || host.Contains(' ') || host.Length > 253)
        {
            throw new CadenceException("Cadence:Smtp:Host must be a host name or address.");
        }
        _ = ParseSecurity(Security);
        if (!string.IsNullOrWhiteSpace(Port) && (!int.TryParse(Port, out var port) || port is < 1 or > 65535))
        {
            throw new CadenceException($"Cadence:Smtp:Port must be a port number from 1 to 65535, not \"{Shown(Port)}\".");
        }
        if (string.IsNullOrWhiteSpace(From))
        {
            throw new CadenceException("Cadence:Smtp:From is needed when Cadence:Smtp:Host is set: the address emails come from.");
        }
        if (!EmailAddress.TryParseSender(From, out _))
        {
            throw new CadenceException($"Cadence:Smtp:From must be an email address (optionally \"Name <address>\"), not \"{Shown(From)}\".");
        }
        if (string.IsNullOrEmpty(Username) != string.IsNullOrEmpty(Password))
        {
            throw new CadenceException("Cadence:Smtp:Username and Cadence:Smtp:Password go together: set both, or neither for a relay without sign-in.");
        }
        if (Timeout <= TimeSpan.Zero || PollInterval <= TimeSpan.Zero)
        {
            throw new CadenceException("Cadence:Smtp:Timeout and Cadence:Smtp:PollInterval must be positive.");
        }
    }

    static SmtpSecurity ParseSecurity(string? value) => string.IsNullOrWhiteSpace(value) ? SmtpSecurity.StartTls
        : Enum.TryParse<SmtpSecurity>(value.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(value, out _) ? parsed
        : throw new CadenceException($"Cadence:Smtp:Security is StartTls, SslOnConnect or None, not \"{Shown(value)}\".");

    // A value echoed in a start-up error is cut short and kept on one line.
    static string Shown(string value)
    {
        var line = new string([.. value.Select(c => char.IsControl(c) ? ' ' : c)]);
        return TextCut.Cut(line, 40);
    }
}

public enum SmtpSecurity { StartTls, SslOnConnect, None }
