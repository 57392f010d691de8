using System.Reflection;

namespace Cadence.Tests.Architecture;

/// <summary>
/// The folder rule of docs/ARCHITECTURE.md, read from the compiled server. Each test lists the uses that are
/// still left (with the reason in docs) so that a new one fails and a removed one is noticed.
/// </summary>
public sealed class FolderDependencyTests
{
    static readonly Assembly Server = typeof(Errors).Assembly;

    // The composition roots wire every feature together; CadenceSettings still holds every feature's settings
    // (issue #12 item 6 splits it).
    static readonly HashSet<string> CompositionRoots = ["Program", "CoreServices", "CadenceSettings", "ApiDocument"];

    // A feature's HTTP edge: its *Api endpoints, and the team front door every team-scoped API call passes.
    static bool IsApiEdge(Type type) => type.Name.EndsWith("Api", StringComparison.Ordinal) || type.Name is "TeamFrontDoor" or "TeamAccess" or "CallerTeam";

    [Fact]
    public void NoFeatureUsesTheConsoleOrTheCli()
    {
        var uses = FolderGraph.Uses(Server,
            t => FolderGraph.Folder(t) is not ("Console" or "Cli") && !CompositionRoots.Contains(t.Name),
            folder => folder is "Console" or "Cli");

        // Left: the inbox is the console's (it reads as the signed-in ConsoleUser and masks with the page's HiddenValues).
        Assert.Equal(["Cadence.Inbox.ConversationReply -> Console", "Cadence.Inbox.InboxEvents -> Console", "Cadence.Inbox.InboxQuery -> Console"], uses);
    }

    [Fact]
    public void DataHoldsTheEntitiesButUsesNoFeatureAboveThem()
    {
        var uses = FolderGraph.Uses(Server, t => FolderGraph.Folder(t) == "Data",
            folder => folder is "Console" or "Cli" or "Authentication" or "Docs" or "Health" or "Retention");

        Assert.Empty(uses);
    }

    [Fact]
    public void RootErrorTypesUseOnlyTheDatabaseOutageCheck()
    {
        string[] errorTypes = ["Errors", "Problems", "RequestErrors", "CadenceException", "DatabaseUnavailable", "IHtmlErrorPage"];
        var uses = FolderGraph.Uses(Server, t => FolderGraph.Folder(t) == "root" && errorTypes.Contains(t.Name), folder => folder != "Data");

        Assert.Empty(uses);
    }

    [Fact]
    public void CredentialsAndTeamsUseAuthenticationOnlyAtTheirHttpEdge()
    {
        var uses = FolderGraph.Uses(Server, t => FolderGraph.Folder(t) is "Credentials" or "Teams" && !IsApiEdge(t),
            folder => folder == "Authentication");

        // Left: TeamLookup takes the caller (ApiCaller) to check its grant; the front door calls it.
        Assert.Equal(["Cadence.Teams.TeamLookup -> Authentication"], uses);
    }
}
