namespace Nomad.Drivers.RawExec.Tests.Harness;

/// <summary>
/// Finds the driver and the shim the tests run. raw_exec's by default; another shim-based driver's tests (exec)
/// share this harness and set <see cref="Under"/> first (in a SetUpFixture).
/// </summary>
public static class Binaries
{
    /// <summary>Which driver: its project folder, executable, dist/plugins part, override variable and default plugin config.</summary>
    public sealed record DriverUnderTest(string Project, string Executable, string Part, string EnvVar, object? Config);

    public static DriverUnderTest Under { get; set; } =
        new("RawExec", "nomad-driver-raw-exec", "raw_exec", "NOMAD_RAW_EXEC_DRIVER", new { enabled = true });

    /// <summary>The repository root (the folder with Nomad.sln).</summary>
    public static string RepoRoot { get; } = FindRoot();

    /// <summary>The build configuration the tests were built with (Debug/Release), read off their own path.</summary>
    public static string Configuration { get; } = ReadConfiguration();

    /// <summary><c>$NOMAD_RAW_EXEC_DRIVER</c>, else the driver project's build output (the project reference builds it).</summary>
    public static string Driver
    {
        get
        {
            var env = Environment.GetEnvironmentVariable(Under.EnvVar);
            var path = env is { Length: > 0 } ? env
                : Path.Combine(RepoRoot, "Plugins", "Drivers", Under.Project, "bin", Configuration, "net10.0", Under.Executable);
            if (!File.Exists(path))
                Assert.Fail($"{Under.Part} driver not found at {path}: build Plugins/Drivers/{Under.Project} (-c {Configuration}) or set {Under.EnvVar}");
            return path;
        }
    }

    /// <summary>
    /// The shim: <c>$NOMAD_EXECUTOR_PATH</c>; else the NativeAOT one <c>scripts/build</c> publishes to
    /// <c>dist/plugins/raw_exec/</c>, if it is newer than the shim's sources; else the (JIT) build output of
    /// Plugins/Drivers/Executor.
    /// </summary>
    public static string Executor => s_executor ??= Announce(FindExecutor());
    private static string? s_executor;

    private static string Announce(string path)
    {
        TestContext.Progress.WriteLine($"{Under.Part} tests: nomad-executor = {path}");
        return path;
    }

    private static string FindExecutor()
    {
        var env = Environment.GetEnvironmentVariable("NOMAD_EXECUTOR_PATH");
        if (env is { Length: > 0 })
        {
            if (!File.Exists(env)) Assert.Fail($"NOMAD_EXECUTOR_PATH={env}: no such file");
            return env;
        }
        var src = Path.Combine(RepoRoot, "Plugins", "Drivers", "Executor");
        var aot = Path.Combine(RepoRoot, "dist", "plugins", Under.Part, "nomad-executor");
        if (File.Exists(aot))
        {
            var newestSource = Directory.EnumerateFiles(src, "*.cs*", SearchOption.TopDirectoryOnly)
                .Select(File.GetLastWriteTimeUtc).DefaultIfEmpty(DateTime.MinValue).Max();
            if (File.GetLastWriteTimeUtc(aot) >= newestSource) return aot;
        }
        var jit = Path.Combine(src, "bin", Configuration, "net10.0", "nomad-executor");
        if (File.Exists(jit)) return jit;
        Assert.Fail($"nomad-executor not found: run scripts/build (NativeAOT into {aot}), or build Plugins/Drivers/Executor (-c {Configuration}) for {jit}, or set NOMAD_EXECUTOR_PATH");
        return "";
    }

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Nomad.sln"))) return d.FullName;
        throw new InvalidOperationException($"Nomad.sln not found above {TestContext.CurrentContext.TestDirectory}");
    }

    private static string ReadConfiguration()
    {
        // .../RawExec.Tests/bin/<Configuration>/net10.0
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        return dir.Parent?.Name is { Length: > 0 } c && dir.Parent.Parent?.Name == "bin" ? c : "Release";
    }
}
