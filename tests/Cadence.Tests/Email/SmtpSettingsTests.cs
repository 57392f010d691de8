using Cadence.Email;
using Cadence.Tests.Infrastructure;

namespace Cadence.Tests.Email;

/// <summary>Cadence:Smtp is checked at start: a value that cannot work refuses to start and says which and why.</summary>
public sealed class SmtpSettingsTests
{
    [Theory]
    [InlineData("Security", "Tls", "Cadence:Smtp:Security is StartTls, SslOnConnect or None, not \"Tls\"")]
    [InlineData("Security", "1", "Cadence:Smtp:Security is StartTls, SslOnConnect or None")]
    [InlineData("Port", "smtp", "Cadence:Smtp:Port must be a port number from 1 to 65535, not \"smtp\"")]
    [InlineData("Port", "70000", "Cadence:Smtp:Port must be a port number")]
    [InlineData("From", "cadence", "Cadence:Smtp:From must be an email address")]
    [InlineData("From", "", "Cadence:Smtp:From is needed when Cadence:Smtp:Host is set")]
    [InlineData("Username", "cadence", "Cadence:Smtp:Username and Cadence:Smtp:Password go together")]
    [InlineData("Timeout", "-00:00:01", "Cadence:Smtp:Timeout and Cadence:Smtp:PollInterval must be positive")]
    public Task ABadSmtpSettingRefusesToStartAndSaysWhich(string key, string value, string message) =>
        StartRefusal.AssertAsync(new Dictionary<string, string>
        {
            ["Cadence:Smtp:Host"] = "127.0.0.1",
            ["Cadence:Smtp:From"] = "cadence@college.edu",
            [$"Cadence:Smtp:{key}"] = value,
        }, message);

    [Fact]
    public void DefaultsFollowTheSecurityAndNeedOnlyAHostAndASender()
    {
        var settings = new SmtpSettings { Host = "smtp.college.edu", From = "Cadence <cadence@college.edu>" };
        settings.Validate();
        Assert.Equal((SmtpSecurity.StartTls, 587), (settings.ParsedSecurity, settings.ParsedPort));
        Assert.Equal(465, new SmtpSettings { Host = "h", Security = "sslonconnect" }.ParsedPort);
        Assert.Equal(25, new SmtpSettings { Host = "h", Security = "None" }.ParsedPort);
        Assert.False(new SmtpSettings().Enabled);
        new SmtpSettings { Security = "nonsense" }.Validate(); // off: nothing to check
    }

    [Theory]
    [InlineData("registrar@college.edu", true)]
    [InlineData("first.last+tag@sub.college.edu", true)]
    [InlineData("registrar@college.edu\r\nBcc: x@y.edu", false)]
    [InlineData("registrar@college.edu\n", true)] // trimmed
    [InlineData("Registrar <registrar@college.edu>", false)]
    [InlineData("a@b.edu,c@d.edu", false)]
    [InlineData("no-at-sign", false)]
    [InlineData("trailing@", false)]
    [InlineData("", false)]
    public void OnlyAPlainBoundedAddressIsAnAddress(string value, bool valid)
    {
        Assert.Equal(valid, EmailAddress.IsValid(value));
        Assert.False(EmailAddress.IsValid(new string('a', 250) + "@college.edu"));
    }

    [Fact]
    public void HeaderTextIsOneBoundedLine()
    {
        Assert.Equal("Ada  Bcc: x", EmailAddress.OneLine("Ada\r\nBcc: x", 200));
        Assert.Equal(200, EmailAddress.OneLine(new string('x', 500), 200).Length);
    }
}
