using System.Text.Json;
using Nomad.Agent.Hcl;
using Nomad.Agent.Jobspec;

namespace Nomad.Cli.Commands.Job;

/// <summary>Reads a job from a file or standard input: JSON when the name ends in .json, HCL otherwise.</summary>
public static class JobFile
{
    public static Nomad.Agent.Structs.Job Read(string path) => Read(path, out _);

    /// <param name="namesRegion">whether the file itself sets the job's region (parsing fills in "global" otherwise).</param>
    public static Nomad.Agent.Structs.Job Read(string path, out bool namesRegion)
    {
        var (text, name) = path == "-" ? (Console.In.ReadToEnd(), "<stdin>") : (File.ReadAllText(path), path);
        if (name.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            var job = JobJson.Read(text, name);
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement.TryGetProperty("Job", out var inner) ? inner : doc.RootElement;
            namesRegion = root.TryGetProperty("Region", out var r) && r.ValueKind == JsonValueKind.String && r.GetString() is { Length: > 0 };
            return job;
        }
        var parsed = JobspecParser.Parse(text, name);
        namesRegion = HclParser.Parse(text, name).BlocksOfType("job").Single().Body.Items.Any(i => i.Name == "region");
        return parsed;
    }
}
