using Nomad.Agent.Hcl;
using Nomad.Agent.Hcl.Evaluation;
using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Jobspec;

/// <summary>
/// The job block of a parsed file read without evaluation: every value must be a literal (string, number, bool,
/// null, list, object), and strings are taken as written, <c>${...}</c> included. This is the <c>-hcl1</c> path
/// (HCL1 has no expressions); HCL2 files are evaluated by <see cref="Hcl2Reader"/>.
/// </summary>
public sealed class LiteralReader : IJobEvaluator
{
    public static readonly LiteralReader Instance = new();

    public EvaluatedBlock EvaluateJob(HclBody file, string fileName, JobFileOptions options)
    {
        var d = new Diagnostics();
        var block = JobBlock(file, fileName, d);
        var evaluated = block is null ? null : new EvaluatedBlock(block.Type, block.Labels, Body(block.Body, d), block.Position);
        d.ThrowIfAny();
        return evaluated!;
    }

    /// <summary>The file's one <c>job "name"</c> block; anything else at the top is a problem.</summary>
    public static HclBlock? JobBlock(HclBody file, string fileName, Diagnostics d)
    {
        HclBlock? found = null;
        foreach (var item in file.Items)
        {
            switch (item)
            {
                case HclBlock { Type: "job" } b when b.Labels.Count != 1:
                    d.Add(b.Labels.Count == 0 ? b.Body.Position : b.Position, b.Labels.Count == 0 ? "Missing name for job" : "Extraneous label for job",
                        b.Labels.Count == 0 ? "All job blocks must have 1 labels (name)." : "Only 1 labels (name) are expected for job blocks.");
                    break;
                case HclBlock { Type: "job" } b when found is not null:
                    d.Add(b.Position, "Duplicate job block",
                        $"Only one block of type \"job\" is allowed. Previous definition was at {Diagnostics.Where(found.Position)}.");
                    break;
                case HclBlock { Type: "job" } b:
                    found = b;
                    break;
                case HclBlock b:
                    d.Add(b.Position, "Unsupported block type", $"Blocks of type \"{b.Type}\" are not expected here.");
                    break;
                case HclAttribute a:
                    d.Add(a.Position, "Unsupported argument", $"An argument named \"{a.Name}\" is not expected here.");
                    break;
            }
        }
        if (found is null && !d.HasErrors) d.Add(fileName, "Missing job block", "A job block is required");
        return found;
    }

    private static EvaluatedBody Body(HclBody body, Diagnostics d) => new(
        body.Attributes.Select(a => new EvaluatedAttribute(a.Name, Value(a.Value, d), a.Position, a.Value.Position)
        {
            IsObjectConstructor = a.Value is HclObject,
            AsBlocks = a.Json is null ? null : labels =>
            {
                var (blocks, problems) = HclJsonSyntax.AsBlocks(a, labels);
                return new JsonBlocks(blocks.Select(b => new EvaluatedBlock(b.Type, b.Labels, Body(b.Body, d), b.Position)).ToList(), problems);
            },
        }).ToList(),
        body.Blocks.Select(b => new EvaluatedBlock(b.Type, b.Labels, Body(b.Body, d), b.Position)).ToList(),
        body.Position);

    /// <summary>A literal as a value: lists are tuples, objects objects (a repeated key: the last wins).</summary>
    public static Value Value(HclValue v, Diagnostics d)
    {
        switch (v)
        {
            case HclString s: return Hcl.Values.Value.Of(s.Value);
            case HclNumber n: return Hcl.Values.Value.Of(n.AsDouble());
            case HclBool b: return Hcl.Values.Value.Of(b.Value);
            case HclNull: return Hcl.Values.Value.Null(HclType.Dynamic);
            case HclList l: return new TupleValue(l.Items.Select(i => Value(i, d)).ToList());
            case HclObject o:
                var items = new Dictionary<string, Value>();
                foreach (var i in o.Items) items[i.Key] = Value(i.Value, d);
                return new ObjectValue(items);
            case HclExpression e:
                d.Add(e.Position, "Unsupported expression", $"\"{e.Source}\" is not a literal; expressions are not evaluated in this job file (quote it if it is a string)");
                return Hcl.Values.Value.Null(HclType.Dynamic);
            default:
                return Hcl.Values.Value.Null(HclType.Dynamic);
        }
    }
}
