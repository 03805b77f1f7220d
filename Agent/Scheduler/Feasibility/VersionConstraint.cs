namespace Nomad.Agent.Scheduler.Feasibility;

/// <summary>
/// Version constraints as Nomad's <c>version</c> and <c>semver</c> operands take them: comma-separated
/// comparisons that must all hold (">= 1.2, &lt; 2.0", "~> 1.4", "= 3.1.0"). Versions compare by numeric
/// segments; a pre-release ("1.2.0-beta1") sorts before its release.
/// </summary>
public sealed class VersionConstraint
{
    private readonly List<(string Op, Version Version)> _terms;

    private VersionConstraint(List<(string, Version)> terms) => _terms = terms;

    /// <summary>Parses a constraint string; null when any part is malformed (the constraint then never matches).</summary>
    public static VersionConstraint? Parse(string text)
    {
        var terms = new List<(string, Version)>();
        foreach (var raw in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var i = 0;
            while (i < raw.Length && "<>=!~".Contains(raw[i])) i++;
            var op = i == 0 ? "=" : raw[..i];
            if (op is not ("=" or "!=" or ">" or "<" or ">=" or "<=" or "~>")) return null;
            var v = Version.Parse(raw[i..].Trim());
            if (v is null) return null;
            terms.Add((op, v));
        }
        return terms.Count == 0 ? null : new VersionConstraint(terms);
    }

    public bool Matches(string versionText)
    {
        var v = Version.Parse(versionText);
        if (v is null) return false;
        foreach (var (op, want) in _terms)
        {
            var c = v.CompareTo(want);
            var ok = op switch
            {
                "=" => c == 0,
                "!=" => c != 0,
                ">" => c > 0,
                "<" => c < 0,
                ">=" => c >= 0,
                "<=" => c <= 0,
                // Pessimistic: at least want, and the same leading segments (all but want's last one).
                "~>" => c >= 0 && SamePrefix(v, want),
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }

    private static bool SamePrefix(Version v, Version want)
    {
        var n = Math.Max(1, want.Segments.Length - 1);
        for (var i = 0; i < n; i++)
            if (v.Segment(i) != want.Segment(i)) return false;
        return true;
    }

    /// <summary>A dotted numeric version with an optional pre-release and ignored build metadata.</summary>
    public sealed class Version : IComparable<Version>
    {
        public long[] Segments { get; }
        public string PreRelease { get; }

        private Version(long[] segments, string pre) { Segments = segments; PreRelease = pre; }

        public long Segment(int i) => i < Segments.Length ? Segments[i] : 0;

        public static Version? Parse(string text)
        {
            var s = text.Trim().TrimStart('v');
            var plus = s.IndexOf('+');
            if (plus >= 0) s = s[..plus];
            var dash = s.IndexOf('-');
            var pre = dash >= 0 ? s[(dash + 1)..] : "";
            if (dash >= 0) s = s[..dash];
            var parts = s.Split('.');
            if (parts.Length == 0 || parts.Length > 4) return null;
            var segs = new long[parts.Length];
            for (var i = 0; i < parts.Length; i++)
                if (!long.TryParse(parts[i], out segs[i]) || segs[i] < 0) return null;
            return new Version(segs, pre);
        }

        public int CompareTo(Version? other)
        {
            if (other is null) return 1;
            var n = Math.Max(Segments.Length, other.Segments.Length);
            for (var i = 0; i < n; i++)
            {
                var c = Segment(i).CompareTo(other.Segment(i));
                if (c != 0) return c;
            }
            if (PreRelease.Length == 0) return other.PreRelease.Length == 0 ? 0 : 1;
            if (other.PreRelease.Length == 0) return -1;
            return string.CompareOrdinal(PreRelease, other.PreRelease);
        }
    }
}
