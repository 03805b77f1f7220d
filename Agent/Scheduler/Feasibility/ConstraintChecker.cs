using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler.Feasibility;

/// <summary>
/// Whether a node satisfies one constraint (Nomad's checkConstraint). distinct_hosts and distinct_property
/// depend on where the job's other allocations are, so they pass here and are checked by the placement.
/// </summary>
public static class ConstraintChecker
{
    // Compiled once per pattern/constraint string: the same few constraints are checked against thousands of nodes.
    private static readonly ConcurrentDictionary<string, Regex?> Regexes = new();
    private static readonly ConcurrentDictionary<string, VersionConstraint?> Versions = new();

    /// <summary>The key Nomad's metrics use for a constraint ("${attr.kernel.name} = linux").</summary>
    public static string Describe(Constraint c) => $"{c.LTarget} {c.Operand} {c.RTarget}";

    /// <summary>True for operands that are about the job's other allocations rather than the node alone.</summary>
    public static bool IsPlacementOperand(string operand) =>
        operand is ConstraintOperand.DistinctHosts or ConstraintOperand.DistinctProperty;

    public static bool Satisfied(Constraint c, Node node)
    {
        if (IsPlacementOperand(c.Operand)) return true;
        var (l, lFound) = ConstraintTarget.Resolve(c.LTarget, node);
        var (r, rFound) = ConstraintTarget.Resolve(c.RTarget, node);
        return Check(c.Operand, l, lFound, r, rFound);
    }

    public static bool Check(string operand, string? l, bool lFound, string? r, bool rFound)
    {
        switch (operand)
        {
            case "" or "=" or "==" or "is": return lFound && rFound && l == r;
            case "!=" or "not": return !(lFound == rFound && l == r);
            case "<" or "<=" or ">" or ">=": return lFound && rFound && CheckOrder(operand, l!, r!);
            case ConstraintOperand.AttributeIsSet: return lFound;
            case ConstraintOperand.AttributeIsNotSet: return !lFound;
            case ConstraintOperand.Regex: return lFound && rFound && RegexFor(r!)?.IsMatch(l!) == true;
            case ConstraintOperand.Version or ConstraintOperand.SemVer:
                return lFound && rFound && Versions.GetOrAdd(r!, VersionConstraint.Parse)?.Matches(l!) == true;
            case ConstraintOperand.SetContains or ConstraintOperand.SetContainsAll:
                return lFound && rFound && SetContainsAll(l!, r!);
            case ConstraintOperand.SetContainsAny: return lFound && rFound && SetContainsAny(l!, r!);
            default: return false;
        }
    }

    /// <summary>Numeric when both sides parse as numbers, otherwise ordinal string order.</summary>
    private static bool CheckOrder(string op, string l, string r)
    {
        int c;
        if (double.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out var ln)
            && double.TryParse(r, NumberStyles.Float, CultureInfo.InvariantCulture, out var rn))
            c = ln.CompareTo(rn);
        else
            c = string.CompareOrdinal(l, r);
        return op switch { "<" => c < 0, "<=" => c <= 0, ">" => c > 0, _ => c >= 0 };
    }

    private static Regex? RegexFor(string pattern) => Regexes.GetOrAdd(pattern, p =>
    {
        try { return new Regex(p, RegexOptions.Compiled | RegexOptions.CultureInvariant); }
        catch (ArgumentException) { return null; }
    });

    private static IEnumerable<string> Set(string s) =>
        s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static bool SetContainsAll(string l, string r)
    {
        var have = new HashSet<string>(Set(l), StringComparer.Ordinal);
        return Set(r).All(have.Contains);
    }

    private static bool SetContainsAny(string l, string r)
    {
        var have = new HashSet<string>(Set(l), StringComparer.Ordinal);
        return Set(r).Any(have.Contains);
    }
}
