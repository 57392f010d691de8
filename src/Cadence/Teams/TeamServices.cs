namespace Cadence.Teams;

public static class TeamServices
{
    /// <summary>Teams and the node's found teams (<see cref="KnownTeams"/>).</summary>
    public static IServiceCollection AddTeams(this IServiceCollection services) =>
        services.AddScoped<TeamService>().AddSingleton<KnownTeams>();
}
