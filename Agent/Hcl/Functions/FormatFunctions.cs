using Nomad.Agent.Hcl.Values;
using static Nomad.Agent.Hcl.Functions.Fn;

namespace Nomad.Agent.Hcl.Functions;

/// <summary>format and formatlist (cty's semantics, see <see cref="GoFormat"/>).</summary>
internal static class FormatFunctions
{
    public static IEnumerable<HclFunction> All() =>
    [
        Define("format", [P("format", HclType.String)], P("args", HclType.Dynamic, allowNull: true), a =>
            Value.Of(GoFormat.Format(Str(a[0]), a.Skip(1).ToList()))),
        Define("formatlist", [P("format", HclType.String)], P("args", HclType.Dynamic, allowNull: true), FormatList),
    ];

    /// <summary>Lists, sets and tuples among the arguments are iterated together (all of one length); other
    /// arguments repeat in every iteration.</summary>
    private static Value FormatList(IReadOnlyList<Value> a)
    {
        var format = Str(a[0]);
        var args = a.Skip(1).ToList();
        if (args.Count == 0) return Strings([GoFormat.Format(format, [])]);

        var length = -1;
        var chooser = -1;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] is not SequenceValue s) continue;
            if (length == -1)
            {
                length = s.Items.Count;
                chooser = i;
            }
            else if (s.Items.Count != length)
            {
                throw new FunctionError(
                    $"argument {i + 1} has length {s.Items.Count}, which is inconsistent with argument {chooser + 1} of length {length}", i + 1);
            }
        }
        if (length == 0) return Strings([]);
        if (length == -1) length = 1;

        var results = new List<string>();
        for (var iteration = 0; iteration < length; iteration++)
        {
            var row = args.Select(v => v is SequenceValue s ? s.Items[iteration] : v).ToList();
            try { results.Add(GoFormat.Format(format, row)); }
            catch (FunctionError e) { throw new FunctionError($"error on format iteration {iteration}: {e.Message}"); }
        }
        return Strings(results);
    }
}
