using System.Diagnostics;

namespace Nomad.IntegrationTests.Harness;

/// <summary>The real `docker` CLI, for tests that check what the daemon holds; and the skip rule for docker tests.</summary>
public static class DockerCli
{
    public const string TestImage = "local/busybox:1";

    public static async Task<(int Code, string Out)> RunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, output);
    }

    /// <summary>Ignores the test, with the reason, unless a daemon answers and the local test image is there.</summary>
    public static async Task IgnoreUnlessAvailableAsync()
    {
        if (!File.Exists("/var/run/docker.sock")) Assert.Ignore("no Docker daemon (/var/run/docker.sock)");
        try { if ((await RunAsync("image", "inspect", TestImage)).Code != 0) Assert.Ignore($"test image {TestImage} missing (scripts/install-test-deps)"); }
        catch (System.ComponentModel.Win32Exception) { Assert.Ignore("no docker CLI"); }
    }
}
