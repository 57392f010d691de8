using Cadence.Bench;

// Benchmarks, run by hand and never part of the test run: dotnet run -c Release --project bench/Cadence.Bench -- auth
var mode = args.FirstOrDefault() ?? "auth";
return mode switch
{
    "auth" => await AuthBench.RunAsync(args.Skip(1).ToArray()),
    "import" => await ImportBench.RunAsync(args.Skip(1).ToArray()),
    "scale" => await ScaleBench.RunAsync(args.Skip(1).ToArray()),
    "messages" => await MessagesBench.RunAsync(args.Skip(1).ToArray()),
    "webhooks" => await WebhooksBench.RunAsync(args.Skip(1).ToArray()),
    "inbox" => await InboxBench.RunAsync(args.Skip(1).ToArray()),
    _ => Usage(),
};

static int Usage()
{
    System.Console.Error.WriteLine("usage: Cadence.Bench auth [--slices N] [--seconds N] [--connections N]" +
        " | import [--warm] [--sqlite-only | --postgres-only] [--sample-rss]" +
        " | scale [--sqlite-only | --postgres-only] [--batches N] [--lookups N] [--lookup-rounds N] [--phase-minutes N] [--sample-rss] | messages | webhooks | inbox [--no-refetch]");
    return 2;
}
