using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests;

/// <summary>
/// `nomad alloc logs -f` of a task writing over 50 MB to stdout, rotated every 8 MB: the follower receives every
/// byte exactly once and in order (compared by hash with what the task was told to write), and ends when the task does.
/// </summary>
[TestFixture]
public sealed class LogFollowRotationTests
{
    private const int Chunks = 50, LinesPerChunk = 95_325;

    /// <summary>What the task writes: chunk i is `seq -f "i-%09g" 1 LinesPerChunk`.</summary>
    private static byte[] ExpectedHash()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var line = new StringBuilder();
        for (var i = 1; i <= Chunks; i++)
            for (var n = 1; n <= LinesPerChunk; n++)
            {
                line.Clear().Append(i).Append('-').Append(n.ToString("D9")).Append('\n');
                sha.AppendData(Encoding.ASCII.GetBytes(line.ToString()));
            }
        return sha.GetHashAndReset();
    }

    [Test]
    public async Task Following_a_rotating_log_of_50_MB_loses_and_repeats_nothing()
    {
        await using var agent = AgentProcess.Start(["-dev"]);
        await agent.WaitForReadyNodeAsync();
        var dir = Directory.CreateTempSubdirectory("nomad-it-logrot-").FullName;
        var job = $"rot{Guid.NewGuid():N}"[..10];
        var file = Path.Combine(dir, "rot.nomad");
        // 10 files of 8 MB keep all ~60 MB, so the test does not depend on how fast the follower reads; the writer is
        // paced so that following and rotating overlap.
        File.WriteAllText(file, $$"""
            job "{{job}}" {
              datacenters = ["dc1"]
              type = "batch"
              group "g" {
                task "t" {
                  driver = "raw_exec"
                  logs {
                    max_files     = 10
                    max_file_size = 8
                  }
                  config {
                    command = "/bin/sh"
                    args    = ["-c", "for i in $(seq 1 {{Chunks}}); do seq -f \"$i-%09g\" 1 {{LinesPerChunk}}; sleep 0.05; done"]
                  }
                }
              }
            }
            """);
        var run = await CliRun.RunInAsync(dir, agent.Address, "job", "run", "-detach", file);
        Assert.That(run.ExitCode, Is.Zero, run.Stdout + run.Stderr);
        var allocId = await Eventually.WaitAsync(async () =>
        {
            var allocs = await agent.Http.GetFromJsonAsync<JsonElement>($"/v1/job/{job}/allocations");
            return allocs.EnumerateArray().Select(a => a.GetProperty("ID").GetString()).FirstOrDefault();
        }, TimeSpan.FromSeconds(60), "the allocation");

        var psi = new ProcessStartInfo(Repo.Nomad) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "alloc", "logs", "-f", allocId!, "t" }) psi.ArgumentList.Add(a);
        psi.Environment["NOMAD_ADDR"] = agent.Address;
        using var follow = Process.Start(psi)!;
        var stderr = follow.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = await follow.StandardOutput.BaseStream.ReadAsync(buffer, cts.Token)) > 0)
        {
            sha.AppendData(buffer, 0, n);
            total += n;
        }
        await follow.WaitForExitAsync(cts.Token);
        Assert.That(follow.ExitCode, Is.Zero, await stderr);

        var logs = await agent.Http.GetFromJsonAsync<JsonElement>($"/v1/client/fs/ls/{allocId}?path=alloc/logs");
        Assert.That(logs.EnumerateArray().Count(f => f.GetProperty("Name").GetString()!.StartsWith("t.stdout.")), Is.GreaterThan(5), "the log rotated");
        Assert.That(total, Is.GreaterThan(50L << 20));
        Assert.That(Convert.ToHexString(sha.GetHashAndReset()), Is.EqualTo(Convert.ToHexString(ExpectedHash())), $"{total} bytes received");
    }
}
