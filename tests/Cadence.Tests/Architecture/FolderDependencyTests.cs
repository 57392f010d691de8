using System.Reflection;

namespace Cadence.Tests.Architecture;

/// <summary>
/// The folder rule of docs/ARCHITECTURE.md, read from the compiled server. Each test lists the uses that are
/// still left (with the reason in docs) so that a new one fails and a removed one is noticed.
/// </summary>
public sealed class FolderDependencyTests
{
    static readonly Assembly Server = typeof(ProblemExceptionHandler).Assembly;

    // The composition roots wire every feature together (each feature's options class lives in its own folder).
    static readonly HashSet<string> CompositionRoots = ["Program", "CoreServices", "ApiDocument"];

    // The root's types below every folder: the error types, and the small rules every feature shares.
    static readonly string[] RootErrorTypes = ["ProblemExceptionHandler", "Problems", "RequestErrors", "CadenceException", "DatabaseUnavailable", "IHtmlErrorPage", "TextCut"];

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

    // The features' layering, bottom to top (docs/ARCHITECTURE.md, "The dependency rule"): a feature uses only
    // features of the layers below its own. Metrics counts for everyone; Events is the generic event log; Contacts
    // writes its events; Messages (the texts and the conversations they keep) sends to contacts; the rest read them.
    static readonly string[][] FeatureLayers =
    [
        ["Metrics"],
        ["Events"],
        ["Contacts"],
        ["Messages"],
        ["Inbox", "Email", "Webhooks", "Retention", "Health"],
        ["Docs"],
    ];

    static readonly string[] Features = [.. FeatureLayers.SelectMany(layer => layer)];

    static HashSet<(string From, string To)> FeatureUses() =>
        FolderGraph.Uses(Server, t => Features.Contains(FolderGraph.Folder(t)), Features.Contains)
            .Select(use => (From: use.Split(" -> ")[0].Split('.')[1], To: use.Split(" -> ")[1])).ToHashSet();

    [Fact]
    public void FeaturesFormNoCycle()
    {
        var uses = FeatureUses();

        // Each use that closes a loop: from the feature it uses, the features' uses lead back (of any length).
        var closing = uses.Where(use => Reaches(uses, use.To, use.From)).Select(use => $"{use.From} -> {use.To}").Order(StringComparer.Ordinal);

        // Mended in #12: Contacts <-> Events (OptOutEvents moved to Contacts), Contacts <-> Inbox and Inbox <-> Messages
        // (the conversations moved to Messages), Contacts <-> Messages (IContactChanges), Contacts <-> Email (root
        // EmailAddress), Messages <-> Metrics (OutboxGauges moved to Messages), Events <-> Messages (MessageEvents).
        Assert.Empty(closing);
    }

    [Fact]
    public void FeaturesUseOnlyTheLayersBelowThem()
    {
        int Layer(string feature) => Array.FindIndex(FeatureLayers, layer => layer.Contains(feature));

        var upward = FolderGraph.Uses(Server, t => Features.Contains(FolderGraph.Folder(t)), Features.Contains)
            .Where(use => Layer(use.Split(" -> ")[0].Split('.')[1]) <= Layer(use.Split(" -> ")[1]));

        Assert.Empty(upward);
    }

    static bool Reaches(HashSet<(string From, string To)> uses, string from, string to)
    {
        var seen = new HashSet<string> { from };
        var next = new Queue<string>([from]);
        while (next.TryDequeue(out var at))
        {
            if (at == to)
            {
                return true;
            }
            foreach (var use in uses.Where(u => u.From == at && seen.Add(u.To)))
            {
                next.Enqueue(use.To);
            }
        }
        return false;
    }
}
