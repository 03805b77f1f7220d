using System.Globalization;
using Nomad.Agent.Hcl;
using Nomad.Agent.Hcl.Evaluation;
using Nomad.Agent.Hcl.Values;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Jobspec;

/// <summary>
/// Reads one block body against its schema, as HCL2's gohcl does for a Nomad api struct: the attribute and block
/// names the struct declares; any other name is an "Unsupported argument" / "Unsupported block type" problem.
/// Values are converted as cty converts them (a number or bool where a string is wanted becomes its text; a
/// string holding a number where a number is wanted becomes that number); a null leaves the field unset.
/// </summary>
internal sealed class BodyReader
{
    private readonly EvaluatedBody _body;
    private readonly Diagnostics _diags;
    private readonly string[] _attributes;
    private readonly string[] _blocks;

    public BodyReader(EvaluatedBody body, Diagnostics diags, string[] attributes, string[] blocks)
    {
        _body = body;
        _diags = diags;
        _attributes = attributes;
        _blocks = blocks;
        foreach (var a in body.Attributes.Where(a => !attributes.Contains(a.Name) && !IsJsonBlock(a)))
        {
            string hint = Suggestion(a.Name, attributes) is { } near ? $" Did you mean \"{near}\"?"
                : blocks.Contains(a.Name) ? $" Did you mean to define a block of type \"{a.Name}\"?" : "";
            diags.Add(a.Position, "Unsupported argument", $"An argument named \"{a.Name}\" is not expected here.{hint}");
        }
        foreach (var b in body.Blocks.Where(b => !blocks.Contains(b.Type)))
        {
            string hint = Suggestion(b.Type, blocks) is { } near ? $" Did you mean \"{near}\"?"
                : attributes.Contains(b.Type) ? $" Did you mean to define argument \"{b.Type}\"? If so, use the equals sign to assign it a value." : "";
            diags.Add(b.Position, "Unsupported block type", $"Blocks of type \"{b.Type}\" are not expected here.{hint}");
        }
    }

    /// <summary>HCL's nameSuggestion: the first known name (in sorted order) within an edit distance of 2.</summary>
    private static string? Suggestion(string given, string[] known) =>
        known.Order(StringComparer.Ordinal).FirstOrDefault(k => Distance(given, k) < 3);

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }

    public Diagnostics Diagnostics => _diags;

    /// <summary>
    /// An attribute of an HCL JSON body that this schema reads as blocks: its name is a block type here, and not
    /// also an attribute (<c>meta</c>, <c>env</c>) unless it holds an array of objects (how a block is written).
    /// </summary>
    private bool IsJsonBlock(EvaluatedAttribute a) =>
        a.AsBlocks is not null && _blocks.Contains(a.Name)
        && (!_attributes.Contains(a.Name) || a.Value is SequenceValue seq && seq.Items.All(i => i is KeyedValue));

    /// <summary>The blocks an HCL JSON attribute of this name stands for (none in native syntax).</summary>
    private IReadOnlyList<EvaluatedBlock> JsonBlocks(string type, int labels)
    {
        if (_body.Attribute(type) is not { AsBlocks: { } read } a || !IsJsonBlock(a)) return [];
        var found = read(labels);
        foreach (var p in found.Problems)
            if (p.Position is { } at) _diags.Add(at, p.Summary, p.Detail);
            else _diags.Add(a.Position.File, p.Summary, p.Detail);
        return found.Blocks;
    }

    public EvaluatedAttribute? Attr(string name)
    {
        var a = _body.Attribute(name);
        return a is null || a.Value.IsNull || IsJsonBlock(a) ? null : a;
    }

    public bool Has(string name) => Attr(name) is not null;

    public string? String(string name) => Attr(name) is { } a ? ToString(a, _diags) : null;

    public string Str(string name) => String(name) ?? "";

    public bool? Bool(string name) => Attr(name) is { } a ? ToBool(a, _diags) : null;

    public bool Flag(string name) => Bool(name) ?? false;

    public int? Int(string name) => Attr(name) is { } a ? ToInt(a, _diags, int.MinValue, int.MaxValue) is { } l ? (int)l : null : null;

    public long? Long(string name) => Attr(name) is { } a ? ToInt(a, _diags, long.MinValue, long.MaxValue) : null;

    public sbyte? SByte(string name) => Attr(name) is { } a ? ToInt(a, _diags, sbyte.MinValue, sbyte.MaxValue) is { } l ? (sbyte)l : null : null;

    /// <summary>jobspec2's duration rule: a Go duration string, or a number of nanoseconds.</summary>
    public long? Duration(string name)
    {
        if (Attr(name) is not { } a) return null;
        switch (a.Value)
        {
            case StringValue s:
                if (GoDuration.TryParseNanoseconds(s.Value, out long ns)) return ns;
                _diags.Add(a.ValuePosition, "Unsuitable value type", $"Unsuitable duration value: time: invalid duration \"{s.Value}\"");
                return null;
            case NumberValue n when n.IsInteger:
                return (long)n.Value;
            case NumberValue:
                _diags.Add(a.ValuePosition, "Unsuitable value type", "Unsuitable value: value must be a whole number, between -9223372036854775808 and 9223372036854775807");
                return null;
            default:
                _diags.Add(a.ValuePosition, "Unsuitable value type", $"Unsuitable value: expected a string but found {a.Value.Type.FriendlyName}");
                return null;
        }
    }

    public List<string>? Strings(string name)
    {
        if (Attr(name) is not { } a) return null;
        if (a.Value is not SequenceValue seq)
        {
            _diags.Add(a.ValuePosition, "Unsuitable value type", "Unsuitable value: list of string required");
            return null;
        }
        var list = new List<string>();
        foreach (var item in seq.Items)
        {
            if (StringOf(item) is { } s) list.Add(s);
            else
            {
                _diags.Add(a.ValuePosition, "Unsuitable value type", "Unsuitable value: list of string required");
                return null;
            }
        }
        return list;
    }

    /// <summary>A map attribute (<c>meta = { ... }</c>), every value converted to a string.</summary>
    public SortedList<string, string>? StringMapAttr(string name) => Attr(name) is { } a ? ToStringMap(a, _diags) : null;

    /// <summary>The blocks of a type that takes no labels; a block with labels is a problem and skipped.</summary>
    public IReadOnlyList<EvaluatedBlock> Blocks(string type)
    {
        var blocks = new List<EvaluatedBlock>();
        foreach (var b in _body.BlocksOfType(type))
        {
            if (b.Labels.Count == 0) blocks.Add(b);
            else _diags.Add(b.Position, $"Extraneous label for {type}", $"No labels are expected for {type} blocks.");
        }
        blocks.AddRange(JsonBlocks(type, 0));
        return blocks;
    }

    /// <summary>A block that may appear once; a second one is a "Duplicate" problem.</summary>
    public EvaluatedBlock? Block(string type)
    {
        var blocks = Blocks(type);
        foreach (var extra in blocks.Skip(1))
            _diags.Add(extra.Position, $"Duplicate {type} block",
                $"Only one {type} block is allowed. Another was defined at {Diagnostics.Where(blocks[0].Position)}.");
        return blocks.Count > 0 ? blocks[0] : null;
    }

    /// <summary>Blocks whose type takes exactly <paramref name="labels"/> labels; wrong counts are problems and skipped.</summary>
    public IEnumerable<EvaluatedBlock> Labelled(string type, int labels = 1)
    {
        foreach (var b in _body.BlocksOfType(type))
        {
            if (b.Labels.Count < labels)
                _diags.Add(b.Body.Position, $"Missing name for {type}", $"All {type} blocks must have {labels} labels (name).");
            else if (b.Labels.Count > labels)
                _diags.Add(b.Position, $"Extraneous label for {type}", labels == 0
                    ? $"No labels are expected for {type} blocks."
                    : $"Only {labels} labels (name) are expected for {type} blocks.");
            else yield return b;
        }
        foreach (var b in JsonBlocks(type, labels)) yield return b;
    }

    /// <summary>An attribute gohcl requires (no ",optional" in the api struct's tag).</summary>
    public void Require(string name)
    {
        if (_body.Attribute(name) is null)
            _diags.Add(_body.Position, "Missing required argument", $"The argument \"{name}\" is required, but no definition was found.");
    }

    // --- cty conversions ---

    public static string? StringOf(Value v) => v switch
    {
        StringValue s => s.Value,
        NumberValue n => n.ToString(),
        BoolValue b => b.ToString(),
        _ => null,
    };

    public static string? ToString(EvaluatedAttribute a, Diagnostics d)
    {
        if (StringOf(a.Value) is { } s) return s;
        d.Add(a.ValuePosition, "Unsuitable value type", "Unsuitable value: string required");
        return null;
    }

    public static bool? ToBool(EvaluatedAttribute a, Diagnostics d)
    {
        switch (a.Value)
        {
            case BoolValue b: return b.Value;
            case StringValue { Value: "true" }: return true;
            case StringValue { Value: "false" }: return false;
        }
        d.Add(a.ValuePosition, "Unsuitable value type", "Unsuitable value: a bool is required");
        return null;
    }

    public static long? ToInt(EvaluatedAttribute a, Diagnostics d, long min, long max)
    {
        double? n = a.Value switch
        {
            NumberValue v => v.Value,
            StringValue s when double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) => p,
            _ => null,
        };
        if (n is null)
        {
            d.Add(a.ValuePosition, "Unsuitable value type", "Unsuitable value: a number is required");
            return null;
        }
        if (n.Value != Math.Floor(n.Value) || n.Value < min || n.Value > max)
        {
            d.Add(a.ValuePosition, "Unsuitable value type",
                $"Unsuitable value: value must be a whole number, between {min} and {max}");
            return null;
        }
        return (long)n.Value;
    }

    public static SortedList<string, string>? ToStringMap(EvaluatedAttribute a, Diagnostics d)
    {
        if (a.Value is not KeyedValue k)
        {
            d.Add(a.ValuePosition, "Unsuitable value type", "Unsuitable value: map of string required");
            return null;
        }
        var map = new SortedList<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in k.Items)
        {
            if (value.IsNull) continue;
            if (StringOf(value) is { } s) map[key] = s;
            else
            {
                d.Add(a.ValuePosition, "Unsuitable value type", $"Unsuitable value: attribute \"{key}\": string required");
                return null;
            }
        }
        return map;
    }
}
