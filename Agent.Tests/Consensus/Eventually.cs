using NUnit.Framework;
using System.Diagnostics;

namespace Nomad.Agent.Tests.Consensus;

/// <summary>Waits for a condition with a deadline (polling; never a blind sleep).</summary>
internal static class Eventually
{
    public static async Task Until(Func<bool> condition, TimeSpan deadline, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > deadline)
                Assert.Fail($"timed out after {deadline.TotalSeconds:0.#} s waiting for {what}");
            await Task.Delay(10);
        }
    }

    public static async Task<T> Until<T>(Func<T?> probe, TimeSpan deadline, string what) where T : class
    {
        T? value = null;
        await Until(() => (value = probe()) is not null, deadline, what);
        return value!;
    }
}
