using System.Globalization;
using System.Text;

namespace Nomad.Fingerprints;

/// <summary>Small readers for /proc, /sys and /etc files.</summary>
internal static class ProcFiles
{
    /// <summary>The file's first line, trimmed; null when it cannot be read (missing, EINVAL from sysfs, ...).</summary>
    public static string? FirstLine(string path)
    {
        try
        {
            using var reader = new StreamReader(path);
            return reader.ReadLine()?.Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The whole file, or null when it cannot be read.</summary>
    public static string? ReadAll(string path)
    {
        try { return File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>Parses <c>KEY=value</c> / <c>KEY="value"</c> lines (os-release, lsb-release).</summary>
    public static Dictionary<string, string> ShellVars(string? text)
    {
        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        if (text is null) return vars;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var eq = line.IndexOf('=');
            if (eq <= 0) continue;
            var value = line[(eq + 1)..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
                value = value[1..^1].Replace("\\\"", "\"").Replace("\\$", "$").Replace("\\`", "`").Replace("\\\\", "\\");
            vars[line[..eq].Trim()] = value;
        }
        return vars;
    }

    /// <summary>Parses <c>/proc/meminfo</c>-style <c>Key:   value [kB]</c> lines into the numeric value (in the file's units).</summary>
    public static long? MemInfoValue(string? text, string key)
    {
        if (text is null) return null;
        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0 || line.AsSpan(0, colon).Trim().ToString() != key) continue;
            var parts = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0 || !long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)) return null;
            return parts.Length > 1 && parts[1].Equals("kB", StringComparison.OrdinalIgnoreCase) ? v * 1024 : v;
        }
        return null;
    }
}

/// <summary>One line of <c>/proc/self/mountinfo</c>.</summary>
internal sealed record MountInfo(string Root, string MountPoint, string FsType, string Source, string SuperOptions)
{
    public const string SelfPath = "/proc/self/mountinfo";

    /// <summary>Parses mountinfo text (see proc(5)); malformed lines are skipped.</summary>
    public static List<MountInfo> Parse(string? text)
    {
        var mounts = new List<MountInfo>();
        if (text is null) return mounts;
        foreach (var line in text.Split('\n'))
        {
            // 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
            var fields = line.Split(' ');
            if (fields.Length < 10) continue;
            var dash = Array.IndexOf(fields, "-", 6);
            if (dash < 0 || dash + 3 > fields.Length) continue;
            mounts.Add(new MountInfo(
                Unescape(fields[3]), Unescape(fields[4]),
                fields[dash + 1], Unescape(fields[dash + 2]),
                dash + 3 < fields.Length ? fields[dash + 3] : ""));
        }
        return mounts;
    }

    public static List<MountInfo> ReadSelf() => Parse(ProcFiles.ReadAll(SelfPath));

    /// <summary>The mount holding <paramref name="path"/> (an absolute, symlink-free path): the longest mount point that prefixes it, the last mounted on ties.</summary>
    public static MountInfo? Holding(IReadOnlyList<MountInfo> mounts, string path)
    {
        MountInfo? best = null;
        foreach (var m in mounts)
        {
            var mp = m.MountPoint;
            var under = mp == "/" || path == mp || path.StartsWith(mp.TrimEnd('/') + "/", StringComparison.Ordinal);
            if (under && (best is null || mp.Length >= best.MountPoint.Length)) best = m;
        }
        return best;
    }

    // mountinfo escapes space, tab, newline and backslash as \ooo octal.
    private static string Unescape(string s)
    {
        if (!s.Contains('\\')) return s;
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && IsOctal(s, i + 1))
            {
                sb.Append((char)Convert.ToInt32(s.Substring(i + 1, 3), 8));
                i += 3;
            }
            else sb.Append(s[i]);
        }
        return sb.ToString();
    }

    private static bool IsOctal(string s, int start)
    {
        if (start + 3 > s.Length) return false;
        for (var i = start; i < start + 3; i++) if (s[i] is < '0' or > '7') return false;
        return true;
    }
}
