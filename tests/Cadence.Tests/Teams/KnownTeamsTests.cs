using System.Data.Common;
using System.Diagnostics;
using System.Net;
using Cadence.Teams;
using Cadence.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Cadence.Tests.Teams;

public sealed class KnownTeamsTests
{
    [Fact]
    public async Task ATeamFoundOnceIsNotReadFromTheDatabaseAgain()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        using var client = await app.TeamClientAsync("SS");
        var ct = TestContext.Current.CancellationToken;
        using var reads = new TeamReads(app.Database.DataDirectory);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2/contacts/SS", ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2/teams/ss/fields", ct)).StatusCode);
        }

        Assert.Equal(1, reads.Count);
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task ATeamAddedAfterItsCodeWasNotFoundIsFoundAtOnceOnEveryNode(Store store)
    {
        await using var database = await TestDatabase.CreateAsync(store);
        await using var first = await CadenceApp.StartAsync(database);
        await using var second = await CadenceApp.StartAsync(database);
        using var client = first.Http(await first.CreateCredentialAsync());
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v2/contacts/NEW", ct)).StatusCode);
        await second.AddTeamAsync("NEW");

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v2/contacts/NEW", ct)).StatusCode);
    }

    [Fact]
    public async Task PastItsCapacityATeamIsStillFoundButNotKept()
    {
        await using var app = await CadenceApp.StartAsync(Store.Sqlite);
        var codes = new[] { "A1", "A2", "A3" };
        foreach (var code in codes)
        {
            await app.AddTeamAsync(code);
        }
        var known = new KnownTeams(capacity: 2);

        var found = await app.WithServicesAsync(async (services, organization) =>
        {
            var db = services.GetRequiredService<Cadence.Data.CadenceDb>();
            var teams = new List<Team>();
            foreach (var code in codes)
            {
                teams.Add(await known.FindAsync(db, organization.Id, code, TestContext.Current.CancellationToken));
            }
            return teams;
        });

        Assert.Equal(codes, found.Select(t => t.DepartmentCode));
        Assert.Equal(2, known.Count);
    }

    /// <summary>Counts the commands that read the Teams table of one test database, through EF Core's diagnostic events.</summary>
    sealed class TeamReads : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        readonly string dataDirectory;
        readonly IDisposable all;
        readonly List<IDisposable> listeners = [];
        int count;

        public TeamReads(string dataDirectory)
        {
            this.dataDirectory = dataDirectory;
            all = DiagnosticListener.AllListeners.Subscribe(this);
        }

        public int Count => Volatile.Read(ref count);

        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == DbLoggerCategory.Name)
            {
                lock (listeners)
                {
                    listeners.Add(listener.Subscribe(this));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == RelationalEventId.CommandExecuting.Name && value.Value is CommandEventData { Command: DbCommand command }
                && command.Connection?.DataSource.StartsWith(dataDirectory, StringComparison.Ordinal) == true
                && command.CommandText.Contains("FROM \"Teams\"", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref count);
            }
        }

        public void OnCompleted() { }

        public void OnError(Exception error) { }

        public void Dispose()
        {
            all.Dispose();
            lock (listeners)
            {
                listeners.ForEach(l => l.Dispose());
            }
        }
    }
}
