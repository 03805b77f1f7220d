namespace Nomad.IntegrationTests.Harness;

/// <summary>Paths in the checkout the tests run from.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>The built executable (scripts/build puts it in dist/).</summary>
    public static string Nomad
    {
        get
        {
            var path = Path.Combine(Root, "dist", "nomad");
            if (!File.Exists(path)) Assert.Fail($"{path} is missing: run scripts/build first");
            return path;
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Nomad.sln"))) return dir.FullName;
        throw new InvalidOperationException("cannot find the repository root (Nomad.sln) above " + AppContext.BaseDirectory);
    }
}
