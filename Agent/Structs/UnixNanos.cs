namespace Nomad.Agent.Structs;

/// <summary>Nomad stores times as Unix nanoseconds.</summary>
public static class UnixNanos
{
    public static long From(DateTime t) => (t.ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks) * 100;

    public static long Now() => From(DateTime.UtcNow);

    public static DateTime ToDateTime(long nanos) => DateTime.UnixEpoch.AddTicks(nanos / 100);
}
