using System.Text.Json;
using System.Text.Json.Nodes;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Server;

/// <summary>
/// Nomad's Job.Diff (structs/diff.go), simplified: a job, its groups and tasks are compared field by field on their
/// API JSON. Primitive fields become FieldDiffs; nested objects and lists become ObjectDiffs of their flattened
/// primitives (<c>args[0]</c>, <c>Port.Label</c>); lists of primitives compare as sets, as Nomad's primitive sets do.
/// Unchanged fields are left out unless the whole object was added or deleted.
/// </summary>
public static class JobDiffer
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = null };

    // Nomad's job diff leaves these out: servers own them, or they are diffed separately (TaskGroups).
    private static readonly HashSet<string> JobIgnored =
    [
        "ID", "Status", "StatusDescription", "Version", "Stable", "CreateIndex", "ModifyIndex", "JobModifyIndex",
        "Update", "SubmitTime", "TaskGroups",
    ];
    private static readonly HashSet<string> GroupIgnored = ["Name", "Tasks"];
    private static readonly HashSet<string> TaskIgnored = ["Name"];

    public static JobDiff Diff(Job? old, Job? @new)
    {
        var o = old is null ? null : JsonSerializer.SerializeToNode(old, Json)!.AsObject();
        var n = @new is null ? null : JsonSerializer.SerializeToNode(@new, Json)!.AsObject();
        var (fields, objects) = DiffMembers(o, n, JobIgnored);
        var groups = new List<TaskGroupDiff>();
        var oldGroups = (old?.TaskGroups ?? []).ToDictionary(g => g.Name);
        var newGroups = (@new?.TaskGroups ?? []).ToDictionary(g => g.Name);
        foreach (var name in oldGroups.Keys.Union(newGroups.Keys).Order(StringComparer.Ordinal))
            groups.Add(DiffGroup(oldGroups.GetValueOrDefault(name), newGroups.GetValueOrDefault(name), name));

        var type = TypeOf(old, @new, fields.Count + objects.Count + groups.Count(g => g.Type != DiffType.None) > 0);
        return new JobDiff { Type = type, ID = (@new ?? old)!.ID, Fields = fields, Objects = objects, TaskGroups = groups };
    }

    private static TaskGroupDiff DiffGroup(TaskGroup? old, TaskGroup? @new, string name)
    {
        var (fields, objects) = DiffMembers(Node(old), Node(@new), GroupIgnored);
        if (old is not null && @new is not null && old.Count != @new.Count)
        {
            // Nomad's annotateCountChange.
            var count = fields.Single(f => f.Name == "Count");
            count.Annotations = [@new.Count > old.Count ? "forces create" : "forces destroy"];
        }
        var tasks = new List<TaskDiff>();
        var oldTasks = (old?.Tasks ?? []).ToDictionary(t => t.Name);
        var newTasks = (@new?.Tasks ?? []).ToDictionary(t => t.Name);
        foreach (var task in oldTasks.Keys.Union(newTasks.Keys).Order(StringComparer.Ordinal))
        {
            var (o, n) = (oldTasks.GetValueOrDefault(task), newTasks.GetValueOrDefault(task));
            var (tf, to) = DiffMembers(Node(o), Node(n), TaskIgnored);
            tasks.Add(new TaskDiff { Type = TypeOf(o, n, tf.Count + to.Count > 0), Name = task, Fields = tf, Objects = to });
        }
        var changed = fields.Count + objects.Count + tasks.Count(t => t.Type != DiffType.None) > 0;
        return new TaskGroupDiff { Type = TypeOf(old, @new, changed), Name = name, Fields = fields, Objects = objects, Tasks = tasks };
    }

    private static JsonObject? Node<T>(T? value) where T : class =>
        value is null ? null : JsonSerializer.SerializeToNode(value, Json)!.AsObject();

    private static string TypeOf(object? old, object? @new, bool changed) =>
        old is null ? DiffType.Added : @new is null ? DiffType.Deleted : changed ? DiffType.Edited : DiffType.None;

    /// <summary>The changed members of two objects (all members when one side is missing), sorted by name as Nomad does.</summary>
    private static (List<FieldDiff> Fields, List<ObjectDiff> Objects) DiffMembers(JsonObject? old, JsonObject? @new, IReadOnlySet<string> ignored)
    {
        var whole = old is null || @new is null;
        var fields = new List<FieldDiff>();
        var objects = new List<ObjectDiff>();
        var names = (old?.Select(kv => kv.Key) ?? []).Union(@new?.Select(kv => kv.Key) ?? [])
            .Where(k => !ignored.Contains(k)).Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var o = old?[name];
            var n = @new?[name];
            if (o is JsonObject or JsonArray || n is JsonObject or JsonArray)
            {
                if (Diff(name, o, n, whole) is { } obj) objects.Add(obj);
            }
            else if (Field(name, Text(o), Text(n), whole) is { } field)
            {
                fields.Add(field);
            }
        }
        return (fields, objects);
    }

    /// <summary>One nested object or list: its primitives flattened, or as a set for a list of primitives.</summary>
    private static ObjectDiff? Diff(string name, JsonNode? old, JsonNode? @new, bool whole)
    {
        List<FieldDiff> fields;
        if (IsPrimitiveList(old) && IsPrimitiveList(@new))
        {
            var o = Items(old).ToHashSet();
            var n = Items(@new).ToHashSet();
            fields = o.Union(n).Order(StringComparer.Ordinal)
                .Select(v => Field(name, o.Contains(v) ? v : null, n.Contains(v) ? v : null, whole))
                .OfType<FieldDiff>().ToList();
        }
        else
        {
            var o = Flatten(old);
            var n = Flatten(@new);
            fields = o.Keys.Union(n.Keys).Order(StringComparer.Ordinal)
                .Select(k => Field(k, o.GetValueOrDefault(k), n.GetValueOrDefault(k), whole))
                .OfType<FieldDiff>().ToList();
        }
        if (fields.Count == 0) return null;
        var oldEmpty = old is null || (old is JsonArray { Count: 0 }) || (old is JsonObject { Count: 0 });
        var newEmpty = @new is null || (@new is JsonArray { Count: 0 }) || (@new is JsonObject { Count: 0 });
        var type = oldEmpty && !newEmpty ? DiffType.Added
            : newEmpty && !oldEmpty ? DiffType.Deleted
            : fields.All(f => f.Type == DiffType.None) ? DiffType.None : DiffType.Edited;
        if (type == DiffType.None && !whole) return null;
        return new ObjectDiff { Type = type, Name = name, Fields = fields };
    }

    /// <summary>A field's diff; null when it is unchanged and its object was not added or deleted as a whole.</summary>
    private static FieldDiff? Field(string name, string? old, string? @new, bool whole)
    {
        if (old is null && @new is null) return null;
        var type = old is null ? DiffType.Added : @new is null ? DiffType.Deleted : old == @new ? DiffType.None : DiffType.Edited;
        if (type == DiffType.None && !whole) return null;
        return new FieldDiff { Type = type, Name = name, Old = old ?? "", New = @new ?? "" };
    }

    private static bool IsPrimitiveList(JsonNode? node) => node is null || node is JsonArray a && a.All(i => i is JsonValue);

    private static IEnumerable<string> Items(JsonNode? node) =>
        node is JsonArray a ? a.Select(Text).OfType<string>() : [];

    /// <summary>Nomad's flatmap: nested keys joined by '.', list items as <c>name[i]</c>.</summary>
    private static Dictionary<string, string> Flatten(JsonNode? node)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        void Walk(JsonNode? n, string prefix)
        {
            switch (n)
            {
                case JsonObject o:
                    foreach (var (k, v) in o) Walk(v, prefix.Length == 0 ? k : $"{prefix}.{k}");
                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++) Walk(a[i], $"{prefix}[{i}]");
                    break;
                default:
                    if (Text(n) is { } text) result[prefix] = text;
                    break;
            }
        }
        Walk(node, "");
        return result;
    }

    /// <summary>A primitive as Go's fmt prints it; null for JSON null or a missing member.</summary>
    private static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v => v.ToJsonString(),
        _ => node.ToJsonString(),
    };
}
