namespace Cadence.Tests.Infrastructure;

public static class Eventually
{
    /// <summary>Polls until the condition holds or the time is up (bounded in both time and tries).</summary>
    public static async Task<bool> TrueAsync(Func<Task<bool>> condition, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(3));
        for (var i = 0; i < 1000; i++)
        {
            if (await condition())
            {
                return true;
            }
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }
            await Task.Delay(25);
        }
        return false;
    }
}
