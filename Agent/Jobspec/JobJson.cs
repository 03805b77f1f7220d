using System.Text.Json;
using System.Text.Json.Nodes;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Jobspec;

/// <summary>
/// Reads and writes jobs in Nomad's API JSON shape: <c>{"Job": {...}}</c> (what <c>PUT /v1/jobs</c> takes) or the
/// bare job object. Field names match case-insensitively, as Go's decoder does. Fields we do not model
/// (Affinities, Services, Vault, ...) are ignored rather than rejected, since Nomad's own CLI always sends them.
/// A null field counts as not given, and a partial RestartPolicy or ReschedulePolicy is completed from the
/// job type's defaults, as Nomad's API does.
/// </summary>
public static class JobJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = null,
        PropertyNameCaseInsensitive = true,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public static Job Read(string json, string fileName) => Read(ParseObject(json, fileName), fileName);

    /// <summary>A job file's JSON text as an object (comments and trailing commas allowed); a syntax error names its place.</summary>
    /// <exception cref="JobspecException">not JSON, or not an object.</exception>
    public static JsonObject ParseObject(string json, string fileName)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is long l ? $"{fileName}:{l + 1}:{(e.BytePositionInLine ?? 0) + 1}" : fileName;
            throw new JobspecException($"{where}: invalid JSON: {FirstSentence(e.Message)}");
        }
        return root as JsonObject ?? throw new JobspecException($"{fileName}: a job must be a JSON object");
    }

    /// <summary>
    /// As <see cref="Read(string, string)"/> for JSON already parsed (an HTTP request's body), without writing it out
    /// and parsing it again. <paramref name="obj"/> is modified (nulls dropped, policies completed).
    /// </summary>
    public static Job Read(JsonObject obj, string fileName)
    {
        if (Get(obj, "Job") is JsonObject wrapped) obj = wrapped;
        DropNulls(obj);
        CompletePolicies(obj);
        try
        {
            var job = UnpooledJson.Deserialize<Job>(obj, Options) ?? throw new JobspecException($"{fileName}: a job must be a JSON object");
            return JobDefaults.Canonicalize(job);
        }
        catch (JsonException e)
        {
            string path = e.Path is { Length: > 0 } p ? $"{p}: " : "";
            throw new JobspecException($"{fileName}: {path}{FirstSentence(e.Message)}");
        }
    }

    private static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };

    public static string Write(Job job, bool indented = false) => JsonSerializer.Serialize(job, indented ? Indented : Options);

    /// <summary>
    /// Nomad's CLI sends every unset pointer field as null ("Priority": null, "DiskMB": null); null means
    /// "not given", so drop it and let the default apply. Driver configs are left as they are.
    /// </summary>
    private static void DropNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    if (value is null) o.Remove(key);
                    else if (!key.Equals("Config", StringComparison.OrdinalIgnoreCase)) DropNulls(value);
                }
                break;
            case JsonArray a:
                foreach (var item in a) DropNulls(item);
                break;
        }
    }

    private static void CompletePolicies(JsonObject job)
    {
        string type = Get(job, "Type")?.GetValueKind() == JsonValueKind.String ? Get(job, "Type")!.GetValue<string>() : JobType.Service;
        if (Get(job, "TaskGroups") is not JsonArray groups) return;
        var jobMigrate = Get(job, "Migrate") as JsonObject;
        foreach (var g in groups.OfType<JsonObject>())
        {
            // A job-level migrate block is every group's base (the API's canonicalization); the group's fields win.
            if (jobMigrate is not null) g[KeyOf(g, "Migrate")] = Merged(jobMigrate, Get(g, "Migrate") as JsonObject);
            Complete(g, "RestartPolicy", RestartPolicy.ForJobType(type));
            Complete(g, "ReschedulePolicy", ReschedulePolicy.ForJobType(type) ?? new ReschedulePolicy());
        }
    }

    /// <summary>Fields missing from a given policy object are taken from <paramref name="defaults"/>.</summary>
    private static void Complete<T>(JsonObject group, string name, T defaults)
    {
        if (Get(group, name) is not JsonObject given) return;
        var full = JsonSerializer.SerializeToNode(defaults, Options)!.AsObject();
        foreach (var (key, value) in given.ToList())
        {
            var known = full.Select(kv => kv.Key).FirstOrDefault(k => k.Equals(key, StringComparison.OrdinalIgnoreCase)) ?? key;
            full[known] = value?.DeepClone();
        }
        group[group.Select(kv => kv.Key).First(k => k.Equals(name, StringComparison.OrdinalIgnoreCase))] = full;
    }

    private static JsonObject Merged(JsonObject baseObject, JsonObject? over)
    {
        var merged = baseObject.DeepClone().AsObject();
        foreach (var (key, value) in over ?? [])
            merged[KeyOf(merged, key)] = value?.DeepClone();
        return merged;
    }

    /// <summary>The key <paramref name="o"/> already spells <paramref name="name"/> with (any case), else the name itself.</summary>
    private static string KeyOf(JsonObject o, string name) =>
        o.Select(kv => kv.Key).FirstOrDefault(k => k.Equals(name, StringComparison.OrdinalIgnoreCase)) ?? name;

    private static JsonNode? Get(JsonObject o, string name) =>
        o.FirstOrDefault(kv => kv.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    // System.Text.Json appends "Path: ..." and "LineNumber: ..." to its messages; keep the first sentence.
    internal static string FirstSentence(string message)
    {
        foreach (var marker in new[] { " Path:", " LineNumber:" })
        {
            int cut = message.IndexOf(marker, StringComparison.Ordinal);
            if (cut > 0) message = message[..cut];
        }
        return message.Trim();
    }
}
