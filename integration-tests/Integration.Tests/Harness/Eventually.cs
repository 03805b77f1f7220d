namespace Nomad.IntegrationTests.Harness;

/// <summary>Waits on a condition with a deadline instead of sleeping.</summary>
public static class Eventually
{
    public static async Task<T> WaitAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var value = await probe();
                if (value is not null && !(value is bool b && !b)) return value;
            }
            catch (Exception e) { last = e; }
            await Task.Delay(25);
        }
        Assert.Fail($"timed out after {timeout.TotalSeconds:0.#}s waiting for {what}{(last is null ? "" : $" (last error: {last.Message})")}");
        throw new InvalidOperationException("unreachable");
    }

    public static Task WaitAsync(Func<Task<bool>> probe, TimeSpan timeout, string what) =>
        WaitAsync<object>(async () => await probe() ? true : null, timeout, what);

    public static Task WaitAsync(Func<bool> probe, TimeSpan timeout, string what) =>
        WaitAsync(() => Task.FromResult(probe()), timeout, what);
}
