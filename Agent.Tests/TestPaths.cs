namespace Nomad.Agent.Tests;

/// <summary>Locates source-tree folders (corpora, oracles) from the test binary's directory.</summary>
internal static class TestPaths
{
    private static readonly Lazy<string> RepoRootLazy = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Nomad.sln"))) return dir.FullName;
        throw new InvalidOperationException("Nomad.sln not found above " + AppContext.BaseDirectory);
    });

    public static string RepoRoot => RepoRootLazy.Value;

    public static string TestsDir => Path.Combine(RepoRoot, "Agent.Tests");
}
