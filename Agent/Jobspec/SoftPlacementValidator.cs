using Nomad.Agent.Structs;

namespace Nomad.Agent.Jobspec;

/// <summary>
/// Nomad's rules for <c>affinity</c> and <c>spread</c> blocks (Affinity.Validate, Spread.Validate), one message per
/// broken rule naming the block by its position: <c>group "g": affinity 1: weight cannot be zero</c>.
/// System jobs may have neither (their scheduler does not rank nodes).
/// </summary>
public static class SoftPlacementValidator
{
    private static readonly HashSet<string> Operators = new(StringComparer.Ordinal)
    {
        "=", "==", "is", "!=", "not", "<", "<=", ">", ">=", ConstraintOperand.Regex, ConstraintOperand.Version, ConstraintOperand.SemVer,
        ConstraintOperand.SetContains, ConstraintOperand.SetContainsAll, ConstraintOperand.SetContainsAny,
    };

    public static void Affinities(Job job, List<Affinity>? affinities, string ctx, List<string> errors)
    {
        if (affinities is not { Count: > 0 }) return;
        if (job.Type == JobType.System)
        {
            errors.Add($"{ctx}: affinity: not allowed for system jobs");
            return;
        }
        for (var i = 0; i < affinities.Count; i++)
        {
            var a = affinities[i];
            var at = $"{ctx}: affinity {i + 1}";
            if (!Operators.Contains(a.Operand)) errors.Add($"{at}: unknown operator \"{a.Operand}\"");
            else if (a.RTarget.Length == 0) errors.Add($"{at}: value: required");
            else if (a.Operand == ConstraintOperand.Regex && !JobValidator.IsRegex(a.RTarget)) errors.Add($"{at}: invalid regular expression \"{a.RTarget}\"");
            if (a.LTarget.Length == 0) errors.Add($"{at}: attribute: required");
            if (a.Weight == 0) errors.Add($"{at}: weight cannot be zero");
            else if (a.Weight is > 100 or < -100) errors.Add($"{at}: weight must be within the range [-100,100] (got {a.Weight})");
        }
    }

    public static void Spreads(Job job, List<Spread>? spreads, string ctx, List<string> errors)
    {
        if (spreads is not { Count: > 0 }) return;
        if (job.Type == JobType.System)
        {
            errors.Add($"{ctx}: spread: not allowed for system jobs");
            return;
        }
        for (var i = 0; i < spreads.Count; i++)
        {
            var s = spreads[i];
            var at = $"{ctx}: spread {i + 1}";
            if (s.Attribute.Length == 0) errors.Add($"{at}: attribute: required");
            if (s.Weight is <= 0 or > 100) errors.Add($"{at}: weight must be within the range [1,100] (got {s.Weight})");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var sum = 0;
            foreach (var t in s.SpreadTarget ?? [])
            {
                if (!seen.Add(t.Value)) errors.Add($"{at}: target \"{t.Value}\" is defined more than once");
                if (t.Percent is < 0 or > 100) errors.Add($"{at}: target \"{t.Value}\": percent must be between 0 and 100 (got {t.Percent})");
                sum += t.Percent;
            }
            if (sum > 100) errors.Add($"{at}: the target percentages must not sum to more than 100 (got {sum})");
        }
    }
}
