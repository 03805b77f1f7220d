using System.Globalization;
using System.Text.Json;
using Nomad.Agent.Hcl.Evaluation;
using Nomad.Agent.Hcl.Expressions;
using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Hcl;

/// <summary>
/// HCL's JSON syntax (what Nomad reads from a job file whose first character is <c>{</c>) turned into the same
/// <see cref="HclBody"/> the native parser gives, so variables, functions, dynamic blocks and the decoder work on it
/// unchanged:
/// <list type="bullet">
/// <item>a property the schema names as a block becomes blocks: one object level per label
///   (<c>{"job": {"web": {...}}}</c>), and an array wherever HCL allows one (<c>[{...}, {...}]</c>) for several;</item>
/// <item>any other property is an attribute; strings are templates (<c>"${var.x}"</c>, parsed where they stand in
///   the file, so errors inside them name the JSON's line and column), numbers, bools, null, arrays and objects are
///   what they are;</item>
/// <item>below a block without a body schema every property is an attribute that keeps its JSON, for the decoder
///   to read as blocks where its schema wants blocks (<see cref="AsBlocks"/>); <c>dynamic</c> is always a block.</item>
/// </list>
/// </summary>
public static class HclJsonSyntax
{
    /// <summary>A <c>dynamic "type"</c> block's own body: <c>content</c> a block read by the decoder, <c>iterator</c> a name.</summary>
    private static readonly HclJsonSchema DynamicBody = new(
        new Dictionary<string, HclJsonBlockSchema> { ["content"] = new(0, null) }, new HashSet<string> { "iterator" });

    private static readonly HclJsonBlockSchema Dynamic = new(1, DynamicBody);

    /// <exception cref="HclException">not JSON, not an object, or a value that is not valid where it is.</exception>
    public static HclBody Parse(string json, string fileName, HclJsonSchema schema)
    {
        var root = HclJsonNode.Parse(json, fileName);
        if (root.Kind != JsonValueKind.Object)
            throw Problem(root.Position, "Root value must be object", "The root value in a JSON-based configuration must be either a JSON object or a JSON array of objects.");
        var problems = new List<HclDiagnostic>();
        var body = Body(root, schema, problems);
        if (problems.Count > 0) throw Problem(problems[0].Position!.Value, problems[0].Summary, problems[0].Detail);
        return body;
    }

    /// <summary>
    /// An attribute of a JSON body read as blocks of its name with <paramref name="labels"/> labels, in the order
    /// they are written; their bodies are left for the decoder too. Values that cannot be blocks are problems.
    /// </summary>
    public static (IReadOnlyList<HclBlock> Blocks, IReadOnlyList<HclDiagnostic> Problems) AsBlocks(HclAttribute attribute, int labels)
    {
        var blocks = new List<HclBlock>();
        var problems = new List<HclDiagnostic>();
        if (attribute.Json is { } json) Expand(attribute.Name, json, new HclJsonBlockSchema(labels, null), [], blocks, problems);
        return (blocks, problems);
    }

    private static HclBody Body(HclJsonNode obj, HclJsonSchema? schema, List<HclDiagnostic> problems)
    {
        var items = new List<HclBodyItem>();
        foreach (var p in obj.Properties)
        {
            var block = schema is null ? p.Key == "dynamic" ? Dynamic : null : schema.Blocks.GetValueOrDefault(p.Key);
            if (block is not null)
            {
                var blocks = new List<HclBlock>();
                Expand(p.Key, p.Value, block, [], blocks, problems);
                items.AddRange(blocks);
            }
            else
            {
                bool expression = schema?.ExpressionAttributes?.Contains(p.Key) == true && p.Value.Kind == JsonValueKind.String;
                items.Add(Attribute(p, expression) with { Json = schema is null ? p.Value : null });
            }
        }
        return new HclBody(items, obj.Position);
    }

    private static void Expand(string type, HclJsonNode node, HclJsonBlockSchema schema, List<string> labels,
        List<HclBlock> blocks, List<HclDiagnostic> problems)
    {
        if (node.Kind == JsonValueKind.Array)
        {
            foreach (var item in node.Items) Expand(type, item, schema, labels, blocks, problems);
            return;
        }
        if (node.Kind != JsonValueKind.Object)
        {
            problems.Add(new HclDiagnostic(node.Position, "Incorrect JSON value type", labels.Count < schema.Labels
                ? $"A JSON object is required here, whose keys are the labels of the \"{type}\" blocks."
                : $"A JSON object is required here, setting the arguments for this \"{type}\" block."));
            return;
        }
        if (labels.Count < schema.Labels)
        {
            foreach (var p in node.Properties) Expand(type, p.Value, schema, [.. labels, p.Key], blocks, problems);
            return;
        }
        blocks.Add(new HclBlock(type, labels, Body(node, schema.Body, problems), node.Position));
    }

    /// <summary>The property as an attribute: strings are templates (or, for <paramref name="expression"/>, an expression).</summary>
    private static HclAttribute Attribute(HclJsonProperty p, bool expression)
    {
        var value = p.Value;
        var expr = expression ? HclParser.ParseJsonExpression(Unwrapped(value.Text), TextStart(value)) : ExpressionOf(value);
        return new HclAttribute(p.Key, LiteralOf(value), p.KeyPosition) { Expression = expr };
    }

    /// <summary>An expression written as a string, bare (<c>"list(string)"</c>) or as one interpolation (<c>"${list(string)}"</c>).</summary>
    private static string Unwrapped(string s) =>
        s.StartsWith("${", StringComparison.Ordinal) && s.EndsWith('}') && s.IndexOf("${", 2, StringComparison.Ordinal) < 0 ? s[2..^1] : s;

    private static Expr ExpressionOf(HclJsonNode n) => n.Kind switch
    {
        JsonValueKind.String => HclParser.ParseJsonTemplate(n.Text, TextStart(n)),
        JsonValueKind.Number => new LiteralExpr(Value.Of(double.Parse(n.Text, NumberStyles.Float, CultureInfo.InvariantCulture)), n.Position),
        JsonValueKind.True => new LiteralExpr(Value.Of(true), n.Position),
        JsonValueKind.False => new LiteralExpr(Value.Of(false), n.Position),
        JsonValueKind.Array => new TupleExpr(n.Items.Select(ExpressionOf).ToList(), n.Position),
        JsonValueKind.Object => new ObjectExpr(n.Properties
            .Select(p => new ObjectItem(HclParser.ParseJsonTemplate(p.Key, TextStart(p.KeyPosition)), ExpressionOf(p.Value))).ToList(), n.Position),
        _ => new LiteralExpr(Value.Null(HclType.Dynamic), n.Position),
    };

    /// <summary>The literal view (what -hcl1 and the agent configuration read): strings as written.</summary>
    private static HclValue LiteralOf(HclJsonNode n) => n.Kind switch
    {
        JsonValueKind.String => new HclString(n.Text, n.Position),
        JsonValueKind.Number => new HclNumber(n.Text, n.Position),
        JsonValueKind.True => new HclBool(true, n.Position),
        JsonValueKind.False => new HclBool(false, n.Position),
        JsonValueKind.Array => new HclList(n.Items.Select(LiteralOf).ToList(), n.Position),
        JsonValueKind.Object => new HclObject(n.Properties.Select(p => new HclObjectItem(p.Key, p.KeyPosition, LiteralOf(p.Value))).ToList(), n.Position),
        _ => new HclNull(n.Position),
    };

    /// <summary>Where a string's text starts: after its opening quote.</summary>
    private static HclPosition TextStart(HclJsonNode n) => TextStart(n.Position);

    private static HclPosition TextStart(HclPosition quote) => quote with { Column = quote.Column + 1 };

    private static HclException Problem(HclPosition at, string summary, string detail) =>
        new(at, $"{summary}: {detail}", new HclSyntaxError(summary, detail));
}
