namespace Cadence.Users;

public static class UserServices
{
    /// <summary>Console users and their memberships of teams.</summary>
    public static IServiceCollection AddUsers(this IServiceCollection services) => services.AddScoped<UserService>();
}
