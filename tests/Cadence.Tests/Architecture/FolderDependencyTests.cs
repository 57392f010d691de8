using System.Reflection;

namespace Cadence.Tests.Architecture;

/// <summary>
/// The folder rule of docs/ARCHITECTURE.md, read from the compiled server. Each test lists the uses that are
/// still left (with the reason in docs) so that a new one fails and a removed one is noticed.
/// </summary>
public sealed class FolderDependencyTests
{
    static readonly Assembly Server = typeof(Errors).Assembly;

    // The composition roots wire every feature together (each feature's options class lives in its own folder).
    static readonly HashSet<string> CompositionRoots = ["Program", "CoreServices", "ApiDocument"];

    // The root's types below every folder: the error types, and the small rules every feature shares.
    static readonly string[] RootErrorTypes = ["Errors", "Problems", "RequestErrors", "CadenceException", "DatabaseUnavailable", "IHtmlErrorPage", "TextCut"];

    // A feature's HTTP edge: its *Api endpoints, and the team front door every team-scoped API call passes.
    static bool IsApiEdge(Type type) => type.Name.EndsWith("Api", StringComparison.Ordinal) || type.Name is "TeamFrontDoor" or "TeamAccess" or "CallerTeam";

    [Fact]
    public void NoFeatureUsesTheConsoleOrTheCli()
    {
        var uses = FolderGraph.Uses(Server,
            t => FolderGraph.Folder(t) is not ("Console" or "Cli") && !CompositionRoots.Contains(t.Name),
            folder => folder is "Console" or "Cli");

        // The inbox's console part (the list as the signed-in ConsoleUser sees it, the reply form, the live stream) is Console/Inbox.
        Assert.Empty(uses);
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
        var uses = FolderGraph.Uses(Server, t => FolderGraph.Folder(t) == "root" && RootErrorTypes.Contains(t.Name), folder => folder != "Data");

        Assert.Empty(uses);
    }

    [Fact]
    public void CredentialsAndTeamsUseAuthenticationOnlyAtTheirHttpEdge()
    {
        var uses = FolderGraph.Uses(Server, t => FolderGraph.Folder(t) is "Credentials" or "Teams" && !IsApiEdge(t),
            folder => folder == "Authentication");

        // The grant is checked by TeamAccess (the edge); TeamLookup takes plain values.
        Assert.Empty(uses);
    }

    [Fact]
    public void DataUsesNoCompositionRootOnlyTheRootErrorTypes()
    {
        // Its options are its own (DataOptions): nothing above it is needed to open the database.
        var uses = FolderGraph.TypeUses(Server, t => FolderGraph.Folder(t) == "Data",
            t => FolderGraph.Folder(t) == "root" && !RootErrorTypes.Contains(t.Name));

        Assert.Empty(uses);
    }

    [Fact]
    public void MetricsUsesNoAuthentication()
    {
        // Metrics:AllowFrom is read by the root's IpRanges, the rule Cadence:TrustedProxies uses too.
        var uses = FolderGraph.Uses(Server, t => FolderGraph.Folder(t) == "Metrics", folder => folder == "Authentication");

        Assert.Empty(uses);
    }

    static readonly string[] Features = ["Contacts", "Messages", "Events", "Webhooks", "Email", "Inbox", "Metrics", "Retention", "Health", "Docs"];

    [Fact]
    public void FeaturesFormNoCycleButTheOnesLeft()
    {
        var edges = FolderGraph.Uses(Server, t => Features.Contains(FolderGraph.Folder(t)), Features.Contains)
            .Select(use => (From: use.Split(" -> ")[0].Split('.')[1], To: use.Split(" -> ")[1])).ToHashSet();

        var cycles = edges.Where(e => string.CompareOrdinal(e.From, e.To) < 0 && edges.Contains((e.To, e.From))).Select(e => $"{e.From} <-> {e.To}").Order(StringComparer.Ordinal);

        // Left (docs/ARCHITECTURE.md, "Left (#12)"): each with its reason there. Events <-> Messages (MessageEvents
        // moved to Messages) and Messages <-> Metrics through CountingSmsProvider (moved to Messages) are mended.
        Assert.Equal(["Contacts <-> Email", "Contacts <-> Events", "Contacts <-> Inbox", "Contacts <-> Messages", "Inbox <-> Messages", "Messages <-> Metrics"], cycles);
    }
}
