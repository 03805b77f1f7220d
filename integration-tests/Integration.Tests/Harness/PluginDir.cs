using System.Text.Json;

namespace Nomad.IntegrationTests.Harness;

/// <summary>A scratch plugin directory the tests put plugins into (copies of integration-tests/mock-driver).</summary>
public sealed class PluginDir
{
    public string Path { get; } = Directory.CreateTempSubdirectory("nomad-it-plugins-").FullName;

    public static string MockDriverSource => System.IO.Path.Combine(Repo.Root, "integration-tests", "mock-driver");

    /// <summary>Copies the Python mock driver in under <paramref name="name"/>, optionally misbehaving in <paramref name="mode"/>.</summary>
    public string AddMock(string name, string? mode = null)
    {
        var dir = System.IO.Path.Combine(Path, name);
        var staging = dir + ".staging";
        Directory.CreateDirectory(staging);
        File.Copy(System.IO.Path.Combine(MockDriverSource, "mock_driver.py"), System.IO.Path.Combine(staging, "mock_driver.py"));
        File.SetUnixFileMode(System.IO.Path.Combine(staging, "mock_driver.py"), (UnixFileMode)Convert.ToInt32("755", 8));
        var manifest = new Dictionary<string, object>
        {
            ["name"] = name, ["type"] = "driver", ["version"] = "0.1.0", ["entry"] = "mock_driver.py",
            ["args"] = mode is null ? Array.Empty<string>() : new[] { $"--mode={mode}" },
        };
        File.WriteAllText(System.IO.Path.Combine(staging, "plugin.json"), JsonSerializer.Serialize(manifest));
        // Appear all at once, as an operator's `mv` would, so a scan never sees half a plugin.
        Directory.Move(staging, dir);
        return dir;
    }

    /// <summary>Copies the C# sample driver (a .dll plugin, run under `nomad plugin-host`) in.</summary>
    public string AddSampleDotnetDriver()
    {
        var build = new[] { "Release", "Debug" }
            .Select(c => System.IO.Path.Combine(Repo.Root, "integration-tests", "SampleDriver", "bin", c, "net10.0"))
            .Where(d => File.Exists(System.IO.Path.Combine(d, "SampleDriver.dll")))
            .OrderByDescending(d => File.GetLastWriteTimeUtc(System.IO.Path.Combine(d, "SampleDriver.dll")))
            .FirstOrDefault();
        if (build is null) Assert.Fail("integration-tests/SampleDriver is not built (dotnet build Nomad.sln)");
        var dir = System.IO.Path.Combine(Path, "sleep");
        Directory.CreateDirectory(dir);
        foreach (var f in Directory.GetFiles(build!)) File.Copy(f, System.IO.Path.Combine(dir, System.IO.Path.GetFileName(f)));
        return dir;
    }

    public void AddRaw(string name, string manifestText)
    {
        var dir = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(System.IO.Path.Combine(dir, "plugin.json"), manifestText);
    }

    public void Remove(string name) => Directory.Delete(System.IO.Path.Combine(Path, name), recursive: true);
}
