using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nomad.Agent.Hcl;

/// <summary>
/// Converts a body to JSON in the shape hcl2json prints (and HCL's JSON syntax reads back):
/// <list type="bullet">
/// <item>attributes become properties;</item>
/// <item>blocks become arrays of objects, nested one object level per label:
///   <c>job "x" { }</c> → <c>{"job": {"x": [{}]}}</c>, <c>ports { }</c> → <c>{"ports": [{}]}</c>;</item>
/// <item>templates print as hcl2json prints them (<see cref="HclString.JsonText"/>, from the parsed template:
///   sequences as <c>${source}</c>, strip markers applied as HCL applies them); bare expressions become
///   <c>"${expr}"</c>, computed object keys <c>"${key}"</c>.</item>
/// </list>
/// </summary>
public static class HclJson
{
    public static JsonObject ToJson(HclBody body)
    {
        var obj = new JsonObject();
        foreach (var item in body.Items)
        {
            switch (item)
            {
                case HclAttribute a:
                    obj[a.Name] = ToJson(a.Value);
                    break;
                case HclBlock b:
                    AddBlock(obj, b);
                    break;
            }
        }
        return obj;
    }

    public static string ToJsonString(HclBody body, bool indented = true) =>
        ToJson(body).ToJsonString(new JsonSerializerOptions { WriteIndented = indented });

    public static JsonNode? ToJson(HclValue value) => value switch
    {
        HclString s => JsonValue.Create(s.JsonText ?? HclTemplate.Canonical(s.Value)),
        HclNumber n => n.IsInteger ? JsonValue.Create(n.AsLong()) : JsonValue.Create(n.AsDouble()),
        HclBool b => JsonValue.Create(b.Value),
        HclNull => null,
        HclList l => new JsonArray(l.Items.Select(ToJson).ToArray()),
        HclObject o => ObjectToJson(o),
        HclExpression e => JsonValue.Create("${" + e.Source + "}"),
        _ => throw new ArgumentOutOfRangeException(nameof(value), value.GetType().Name),
    };

    private static JsonObject ObjectToJson(HclObject o)
    {
        var obj = new JsonObject();
        foreach (var item in o.Items) obj[item.Key] = ToJson(item.Value);
        return obj;
    }

    private static void AddBlock(JsonObject parent, HclBlock block)
    {
        // Walk (creating as needed) one object per label; the last level holds the array of bodies.
        string key = block.Type;
        JsonObject container = parent;
        foreach (var label in block.Labels)
        {
            if (container[key] is not JsonObject next)
            {
                next = new JsonObject();
                container[key] = next;
            }
            container = next;
            key = label;
        }
        if (container[key] is not JsonArray list)
        {
            list = new JsonArray();
            container[key] = list;
        }
        list.Add(ToJson(block.Body));
    }
}
