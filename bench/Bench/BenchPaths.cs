namespace Nomad.Bench;

public static class BenchPaths
{
    public static string Root { get; } = FindRoot();

    public static string Nomad => Path.Combine(Root, "dist", "nomad");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Nomad.sln"))) return dir.FullName;
        throw new InvalidOperationException("run from inside the repository");
    }
}
