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
    static readonly string[] RootErrorTypes = ["ProblemExceptionHandler", "Problems", "RequestErrors", "CadenceException", "DatabaseUnavailable", "DatabaseOutage", "IHtmlErrorPage", "TextCut"];

    // A feature's HTTP edge: its *Api endpoints, and the team front door every team-scoped API call passes.
    static bool IsApiEdge(Type type) => type.Name.EndsWith("Api", StringComparison.Ordinal) || type.Name is "TeamFrontDoor" or "TeamAccess" or "CallerTeam" or "TeamBody`1";

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
    public void RootErrorTypesUseNoFolder()
    {
        // The outage check (DatabaseOutage) is the root's own: Data, above it, uses CadenceException.
        var uses = FolderGraph.Uses(Server, t => FolderGraph.Folder(t) == "root" && RootErrorTypes.Contains(t.Name), _ => true);

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

    // The dependency rule of docs/ARCHITECTURE.md over every folder of the server, bottom to top: a node uses only
    // nodes of the layers below its own. A node is a folder (the root is "root"), but for the HTTP edges of the two
    // folders below Authentication: Teams' front door and Credentials' CredentialsApi sit above Authentication.
    // The composition roots are outside the graph.
    static readonly string[][] Layers =
    [
        ["root"],                                                   // 1. the error types and the shared small rules,
        ["Metrics"],                                                //    then Cadence's instruments, which every layer counts with
        ["Data"],                                                   // 2. the model
        ["Audit"], ["Teams"], ["Users"],                            // 3. entities and their services
        ["Credentials"],                                            // 4.
        ["Authentication"],                                         // 5.
        ["Teams edge", "Credentials edge"],                         // 6. features: the edges of Teams and Credentials,
        ["Events"], ["Contacts"], ["Messages"],                     //    then the features' own layers
        ["Inbox", "Email", "Webhooks", "Retention", "Health"],
        ["Docs"],
        ["Console"], ["Cli"],                                       // 7. on top
    ];

    static string? Node(Type type) => FolderGraph.Folder(type) switch
    {
        "root" when CompositionRoots.Contains(type.Name) => null,
        "Teams" or "Credentials" when IsApiEdge(type) => FolderGraph.Folder(type) + " edge",
        var folder => folder,
    };

    // Data holds a DbSet of each feature's entity: naming those is its one use of the folders above it.
    static readonly HashSet<Type> Entities = [.. typeof(Cadence.Data.CadenceDb).GetProperties()
        .Where(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(Microsoft.EntityFrameworkCore.DbSet<>))
        .Select(p => p.PropertyType.GetGenericArguments()[0])];

    /// <summary>Each (node, node it uses), with the types of the use: "From.Type -> To.Type".</summary>
    static ILookup<(string From, string To), string> NodeUses() =>
        FolderGraph.CrossFolderUses(Server)
            .Where(use => !(FolderGraph.Folder(use.From) == "Data" && Entities.Contains(use.To)))
            .Select(use => (From: Node(use.From), To: Node(use.To), Types: $"{use.From.FullName} -> {use.To.FullName}"))
            .Where(use => use.From is not null && use.To is not null && use.From != use.To)
            .ToLookup(use => (use.From!, use.To!), use => use.Types);

    [Fact]
    public void EveryFolderIsInALayer()
    {
        var outside = Server.GetTypes().Select(t => Node(FolderGraph.Outermost(t))).OfType<string>().Distinct()
            .Where(node => !Layers.Any(layer => layer.Contains(node)));

        Listed(outside);
    }

    [Fact]
    public void DataUsesOnlyTheEntitiesOfTheFoldersAboveIt()
    {
        var uses = FolderGraph.TypeUses(Server, t => FolderGraph.Folder(t) == "Data",
            t => FolderGraph.Folder(t) != "root" && !Entities.Contains(t));

        Listed(uses);
    }

    [Fact]
    public void EveryFolderFormsNoCycle()
    {
        var uses = NodeUses();
        var edges = uses.Select(use => use.Key).ToHashSet();

        // Each use that closes a loop: from the node it uses, the uses lead back (of any length).
        var closing = edges.Where(use => Reaches(edges, use.To, use.From))
            .Select(use => $"{use.From} -> {use.To}: {string.Join("; ", uses[use].Order(StringComparer.Ordinal).Take(3))}")
            .Order(StringComparer.Ordinal);

        // Mended in #12: Contacts <-> Events (OptOutEvents moved to Contacts), Contacts <-> Inbox and Inbox <-> Messages
        // (the conversations moved to Messages), Contacts <-> Messages (IContactChanges), Contacts <-> Email (root
        // EmailAddress), Messages <-> Metrics (OutboxGauges moved to Messages), Events <-> Messages (MessageEvents);
        // over every folder: Credentials <-> Events (ICredentialRevocations), Teams <-> Audit (the audit log's foreign key
        // set by Teams), root <-> Data (DatabaseOutage in the root), Data -> Credentials (IPepperCheck), Data -> Events
        // (IPostgresModel).
        Listed(closing);
    }

    [Fact]
    public void EveryFolderUsesOnlyTheLayersBelowIt()
    {
        int Layer(string node) => Array.FindIndex(Layers, layer => layer.Contains(node));

        var upward = NodeUses().Where(use => Layer(use.Key.From) <= Layer(use.Key.To))
            .SelectMany(use => use.Select(types => $"{use.Key.From} -> {use.Key.To}: {types}"))
            .Order(StringComparer.Ordinal);

        Listed(upward);
    }

    /// <summary>Fails with every line of what should be empty (Assert.Empty shows only the first few, cut).</summary>
    static void Listed(IEnumerable<string> left)
    {
        var lines = left.ToList();
        if (lines.Count > 0)
        {
            Assert.Fail($"{lines.Count} left:\n" + string.Join("\n", lines));
        }
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
