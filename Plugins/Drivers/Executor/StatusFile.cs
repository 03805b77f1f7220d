namespace Nomad.Executor;

/// <summary>Writes the small JSON files the driver reads, atomically: a temp file beside the target, then rename(2).</summary>
internal static class StatusFile
{
    public static void Write(string path, MiniJson.ObjectWriter body)
    {
        var tmp = path + ".tmp";
        File.WriteAllBytes(tmp, body.ToUtf8());
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>RFC 3339 with 100 ns precision, UTC, as Nomad prints times (formatted by hand: no culture machinery in the shim).</summary>
    public static string Now()
    {
        var t = DateTime.UtcNow;
        Span<char> b = stackalloc char[28];
        static void D(Span<char> b, int at, long v, int width)
        {
            for (int i = width - 1; i >= 0; i--) { b[at + i] = (char)('0' + v % 10); v /= 10; }
        }
        D(b, 0, t.Year, 4); b[4] = '-'; D(b, 5, t.Month, 2); b[7] = '-'; D(b, 8, t.Day, 2); b[10] = 'T';
        D(b, 11, t.Hour, 2); b[13] = ':'; D(b, 14, t.Minute, 2); b[16] = ':'; D(b, 17, t.Second, 2); b[19] = '.';
        D(b, 20, t.Ticks % TimeSpan.TicksPerSecond, 7); b[27] = 'Z';
        return new string(b);
    }
}
