using Nomad.Agent.Hcl.Jobspec;

namespace Nomad.Cli.Commands.Job;

/// <summary>Reads a job from a file or standard input: JSON when the name ends in .json, HCL otherwise.</summary>
public static class JobFile
{
    public static Nomad.Agent.Structs.Job Read(string path)
    {
        var (text, name) = path == "-" ? (Console.In.ReadToEnd(), "<stdin>") : (File.ReadAllText(path), path);
        return name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? JobJson.Read(text, name) : JobspecParser.Parse(text, name);
    }
}
