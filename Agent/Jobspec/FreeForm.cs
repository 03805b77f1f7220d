using System.Text.Json.Nodes;
using Nomad.Agent.Hcl.Evaluation;
using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Jobspec;

/// <summary>
/// Bodies without a schema (a driver's <c>config</c>, a scaling <c>policy</c>, a proxy's <c>config</c>), read as
/// jobspec2's BlocksAsAttrs reads them: every attribute becomes a key; one written as an object constructor
/// (<c>a = { ... }</c>) becomes a one-element list of it, as a block would (a computed object, e.g. from a variable,
/// stays an object); the blocks of one type become a list of objects under their type, and a block's labels nest
/// it: <c>a "x" { ... }</c> is <c>a = [{ x = [{ ... }] }]</c>.
/// </summary>
internal static class FreeForm
{
    public static JsonObject ToJson(EvaluatedBody body)
    {
        var items = new SortedList<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var a in body.Attributes) items[a.Name] = a.IsObjectConstructor ? new JsonArray(ToJson(a.Value)) : ToJson(a.Value);
        foreach (var group in body.Blocks.GroupBy(b => b.Type))
            items[group.Key] = new JsonArray(group.Select(Block).ToArray());
        return SortedObject(items);
    }

    private static JsonNode Block(EvaluatedBlock b)
    {
        JsonNode node = ToJson(b.Body);
        for (int i = b.Labels.Count - 1; i >= 0; i--) node = new JsonObject { [b.Labels[i]] = new JsonArray(node) };
        return node;
    }

    /// <summary>A value as JSON: whole numbers as integers, maps and objects with sorted keys.</summary>
    public static JsonNode? ToJson(Value v) => v switch
    {
        NullValue => null,
        StringValue s => JsonValue.Create(s.Value),
        BoolValue b => JsonValue.Create(b.Value),
        NumberValue n when n.IsInteger => JsonValue.Create((long)n.Value),
        NumberValue n => JsonValue.Create(n.Value),
        SequenceValue s => new JsonArray(s.Items.Select(ToJson).ToArray()),
        KeyedValue k => Object(k),
        _ => null,
    };

    // Keys arrive sorted (a map or object keeps its items in key order, a SortedList its keys): no LINQ sorting,
    // whose generic code over KeyValuePair would be JIT-compiled at the CLI's cold start.
    private static JsonObject Object(KeyedValue k)
    {
        var o = new JsonObject();
        foreach (var i in k.Items) o[i.Key] = ToJson(i.Value);
        return o;
    }

    private static JsonObject SortedObject(SortedList<string, JsonNode?> items)
    {
        var o = new JsonObject();
        foreach (var (k, v) in items) o[k] = v;
        return o;
    }

    /// <summary>
    /// A map block (<c>meta { ... }</c>, <c>env { ... }</c>, artifact <c>options { ... }</c>): its attributes, each
    /// converted to a string; a nested block or an object value cannot be one.
    /// </summary>
    public static SortedList<string, string> StringMap(EvaluatedBlock block, Diagnostics d)
    {
        var map = new SortedList<string, string>(StringComparer.Ordinal);
        foreach (var a in block.Body.Attributes)
        {
            if (a.Value.IsNull) continue;
            if (BodyReader.StringOf(a.Value) is { } s) map[a.Name] = s;
            else d.Add(a.ValuePosition, "Unsuitable value type", "Unsuitable value: string required");
        }
        foreach (var b in block.Body.Blocks)
            d.Add(b.Position, "Unsuitable value type", "Unsuitable value: string required");
        return map;
    }
}
