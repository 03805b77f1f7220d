namespace Nomad.Agent.Hcl;

/// <summary>Entry points: parse HCL text or a file into an <see cref="HclBody"/>. Errors are <see cref="HclException"/>.</summary>
public static class HclParser
{
    /// <param name="source">The HCL text.</param>
    /// <param name="fileName">The name used in error messages (e.g. "agent.hcl").</param>
    public static HclBody Parse(string source, string fileName) => new Parser(source, fileName).ParseFile();

    /// <summary>Reads and parses a file; error messages name it as <paramref name="path"/> was given.</summary>
    public static HclBody ParseFile(string path) => Parse(File.ReadAllText(path), path);
}
