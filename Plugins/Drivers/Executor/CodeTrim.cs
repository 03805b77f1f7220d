namespace Nomad.Executor;

/// <summary>
/// Gives back the shim's start-up pages of its own binary once the task runs. Starting touches most of the binary
/// (runtime start-up, spec parsing, spawning; the kernel maps up to 128 KB around each fault), ~1.9 MB that every
/// one of hundreds of shims keeps mapped while it then waits in poll(2) for weeks. <c>MADV_DONTNEED</c> on the
/// read-only file mappings drops those page-table entries: the pages stay in the page cache, shared by every shim,
/// and the few the wait loop needs fault back in from there (a minor fault, microseconds).
/// <para>
/// Only pages that are still the file's (per /proc/self/pagemap): a private page (copy-on-write, e.g. relocated
/// RELRO data) would be lost by MADV_DONTNEED and re-read from the file, so those are kept.
/// </para>
/// </summary>
internal static unsafe class CodeTrim
{
    private const ulong PagePresent = 1UL << 63, PageFileOrShared = 1UL << 61;

    /// <summary>Trims; returns the bytes dropped (0 when /proc is not readable).</summary>
    public static long Run()
    {
        var maps = ReadAll("/proc/self/maps", 16 * 1024);
        if (maps is null) return 0;
        int pm = Libc.Open("/proc/self/pagemap", Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (pm < 0) return 0;
        long dropped = 0;
        const int Batch = 512; // pages per pagemap read (2 MB of address space, 4 KB of entries)
        var entries = stackalloc ulong[Batch];
        try
        {
            foreach (var (start, end) in ReadOnlyFileMappings(maps))
            {
                for (ulong at = start; at < end; )
                {
                    int pages = (int)Math.Min((ulong)Batch, (end - at) / PageSize);
                    if (pages == 0) break;
                    nint n = Libc.pread(pm, (byte*)entries, pages * 8, (long)(at / PageSize * 8));
                    if (n <= 0) break;
                    pages = (int)(n / 8);
                    // Runs of present file pages → one madvise each.
                    for (int i = 0; i < pages; )
                    {
                        if ((entries[i] & (PagePresent | PageFileOrShared)) != (PagePresent | PageFileOrShared)) { i++; continue; }
                        int j = i;
                        while (j < pages && (entries[j] & (PagePresent | PageFileOrShared)) == (PagePresent | PageFileOrShared)) j++;
                        if (Libc.madvise((nint)(at + (ulong)i * PageSize), (nuint)((ulong)(j - i) * PageSize), Libc.MADV_DONTNEED) == 0)
                            dropped += (j - i) * (long)PageSize;
                        i = j;
                    }
                    at += (ulong)pages * PageSize;
                }
            }
        }
        finally { Libc.close(pm); }
        return dropped;
    }

    private static readonly ulong PageSize = (ulong)Environment.SystemPageSize;

    private static byte[]? ReadAll(string path, int max)
    {
        int fd = Libc.Open(path, Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (fd < 0) return null;
        var buf = new byte[max];
        int len = 0;
        fixed (byte* p = buf)
            while (len < max)
            {
                nint n = Libc.read(fd, p + len, max - len);
                if (n < 0 && Libc.Errno == Libc.EINTR) continue;
                if (n <= 0) break;
                len += (int)n;
            }
        Libc.close(fd);
        return buf.AsSpan(0, len).ToArray();
    }

    /// <summary>
    /// The read-only (<c>r--p</c>, <c>r-xp</c>) mappings of files in /proc/self/maps text
    /// (<c>start-end perms offset dev inode path</c>); not anonymous ones nor the kernel's [vdso].
    /// </summary>
    public static List<(ulong Start, ulong End)> ReadOnlyFileMappings(ReadOnlySpan<byte> maps)
    {
        var result = new List<(ulong, ulong)>();
        while (maps.Length > 0)
        {
            int nl = maps.IndexOf((byte)'\n');
            var line = nl < 0 ? maps : maps[..nl];
            maps = nl < 0 ? default : maps[(nl + 1)..];
            int f = 0, i = 0;
            ReadOnlySpan<byte> range = default, perms = default, inode = default, path = default;
            while (i < line.Length && f < 6)
            {
                while (i < line.Length && line[i] == ' ') i++;
                if (i >= line.Length) break;
                int s = i;
                if (f == 5) { path = line[s..]; break; }
                while (i < line.Length && line[i] != ' ') i++;
                var field = line[s..i];
                if (f == 0) range = field; else if (f == 1) perms = field; else if (f == 4) inode = field;
                f++;
            }
            if (!(perms.SequenceEqual("r-xp"u8) || perms.SequenceEqual("r--p"u8))) continue;
            if (path.Length == 0 || path[0] != (byte)'/' || inode.SequenceEqual("0"u8)) continue;
            int dash = range.IndexOf((byte)'-');
            if (dash < 0 || !TryHex(range[..dash], out var start) || !TryHex(range[(dash + 1)..], out var end) || end <= start) continue;
            result.Add((start, end));
        }
        return result;
    }

    private static bool TryHex(ReadOnlySpan<byte> s, out ulong value)
    {
        value = 0;
        if (s.Length == 0 || s.Length > 16) return false;
        foreach (var c in s)
        {
            int d = c is >= (byte)'0' and <= (byte)'9' ? c - '0' : c is >= (byte)'a' and <= (byte)'f' ? c - 'a' + 10 : -1;
            if (d < 0) return false;
            value = value << 4 | (uint)d;
        }
        return true;
    }
}
