using System.Diagnostics;

namespace Nomad.IntegrationTests.Harness;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs the `nomad` CLI as a user would and captures what it prints.</summary>
public static class CliRun
{
    public static Task<CliResult> RunAsync(string? address, params string[] args) => RunInAsync(null, address, args);

    /// <summary>Runs the CLI in <paramref name="workingDirectory"/> (null: the test's).</summary>
    public static Task<CliResult> RunInAsync(string? workingDirectory, string? address, params string[] args) =>
        RunWithEnvAsync(workingDirectory, address, new Dictionary<string, string>(), args);

    /// <summary>Runs the CLI with extra environment variables (NOMAD_REGION, ...).</summary>
    public static Task<CliResult> RunWithEnvAsync(string? workingDirectory, string? address, IReadOnlyDictionary<string, string> env, params string[] args) =>
        RunUnderAsync([], address, env, args, workingDirectory);

    /// <summary>Runs the CLI under <paramref name="prefix"/> (e.g. `ip netns exec NS`), with extra environment variables.</summary>
    public static async Task<CliResult> RunUnderAsync(string[] prefix, string? address, IReadOnlyDictionary<string, string> env, string[] args, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(prefix.Length > 0 ? prefix[0] : Repo.Nomad)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        if (prefix.Length > 0)
        {
            foreach (var word in prefix.Skip(1)) psi.ArgumentList.Add(word);
            psi.ArgumentList.Add(Repo.Nomad);
        }
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("NOMAD_ADDR");
        psi.Environment.Remove("NOMAD_REGION");
        foreach (var (name, value) in env) psi.Environment[name] = value;
        if (address is not null) psi.Environment["NOMAD_ADDR"] = address;
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(cts.Token);
        return new CliResult(p.ExitCode, await stdout, await stderr);
    }
}
