using Cadence.Data;
using Cadence.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Cadence.Tests.Data;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
/// <summary>The data directory holds password hashes, sessions, the console's keys and student data.</summary>
public sealed class DataDirectoryTests
{
    const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [Fact]
    public async Task NewDataDirectoryAndItsFilesAreReadableByTheOwnerOnly()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        var directory = Path.Combine(database.DataDirectory, "fresh");
        await using (var app = await CadenceApp.StartAsync(database, new() { ["Cadence:DataDirectory"] = directory }))
        {
            await app.AddTeamAsync("SS"); // a write, so that the -wal and -shm files exist
            string[] files = ["cadence.db", "cadence.db-wal", "cadence.db-shm", "pepper.key"];
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
            foreach (var file in files)
            {
                var path = Path.Combine(directory, file);
                Assert.True(File.Exists(path), file);
                Assert.Equal((file, UnixFileMode.UserRead | UnixFileMode.UserWrite), (file, File.GetUnixFileMode(path)));
            }
            Assert.DoesNotContain(app.Logs.Lines, l => l.Contains("can be read by other users"));
        }
    }

    [Fact]
    public async Task StartWarnsWhenTheDataDirectoryIsOpenToOthers()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        File.SetUnixFileMode(database.DataDirectory, File.GetUnixFileMode(database.DataDirectory) | UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        await using var app = await CadenceApp.StartAsync(database);

        var warning = Assert.Single(app.Logs.Lines, l => l.StartsWith("Warning") && l.Contains("can be read by other users"));
        Assert.Contains("chmod 700", warning);
        Assert.NotEqual(0, (int)(File.GetUnixFileMode(database.DataDirectory) & GroupOrOther));
    }

    [Fact]
    public async Task ConsoleKeyRingIsEncryptedAtRestAndReadableAfterARestart()
    {
        await using var database = await TestDatabase.CreateAsync(Store.Sqlite);
        string protectedText;
        await using (var app = await CadenceApp.StartAsync(database))
        {
            protectedText = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("session 42");
            var xml = await app.WithServicesAsync(async (services, _) =>
                string.Join("\n", await services.GetRequiredService<CadenceDb>().DataProtectionKeys.Select(k => k.Xml).ToListAsync()));

            Assert.Contains("encryptedKey", xml);
            Assert.DoesNotContain("<masterKey", xml);
            Assert.DoesNotContain(app.Logs.Lines, l => l.Contains("No XML encryptor configured"));
        }
        await using var restarted = await CadenceApp.StartAsync(database);

        Assert.Equal("session 42", restarted.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedText));
    }
}
