using System.Net.Http.Json;
using System.Text.Json;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests;

/// <summary>
/// A sysbatch job on a server and two real clients runs once on each; a third client that joins later runs it too,
/// exactly once, and the first two do not run it again.
/// </summary>
[TestFixture]
public sealed class SysBatchJobTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private const string RawExec = "plugin \"raw_exec\" {\n  config {\n    enabled = true\n  }\n}\n";

    private const string JobFile = """
        job "once" {
          datacenters = ["dc1"]
          type        = "sysbatch"
          group "g" {
            task "t" {
              driver = "raw_exec"
              config {
                command = "/bin/sh"
                args    = ["-c", "echo ran"]
              }
              resources {
                cpu    = 50
                memory = 32
              }
            }
          }
        }
        """;

    [Test]
    public async Task Runs_once_on_every_client_including_one_that_joins_later()
    {
        await using var server = AgentProcess.Start([], $"data_dir = \"{Dir()}\"\nserver {{\n  enabled = true\n  bootstrap_expect = 1\n}}\n");
        await server.WaitForLineAsync("nomad: cluster leadership acquired");
        await using var a = Client(server);
        await using var b = Client(server);
        await WaitForReadyNodes(server, 2);

        var dir = Directory.CreateTempSubdirectory("nomad-it-sysbatch-").FullName;
        File.WriteAllText(Path.Combine(dir, "once.nomad"), JobFile);
        var run = await CliRun.RunInAsync(dir, server.Address, "job", "run", "once.nomad");
        Assert.That(run.ExitCode, Is.Zero, run.Stdout + run.Stderr + "\n--- server:\n" + server.Output);
        await WaitForCompleteOnNodes(server, 2);

        await using var c = Client(server);
        await WaitForReadyNodes(server, 3);
        await WaitForCompleteOnNodes(server, 3);

        var allocs = await Allocs(server);
        Assert.That(allocs.Select(x => x.Node).Distinct().Count(), Is.EqualTo(3), "one allocation per node");
        Assert.That(allocs, Has.Count.EqualTo(3), "no node ran it twice: " + string.Join(", ", allocs));

        var status = await CliRun.RunAsync(server.Address, "job", "status", "once");
        Assert.That(status.Stdout, Does.Match(@"Type\s+= sysbatch"));
        Assert.That(status.Stdout, Does.Match(@"\ng\s+0\s+0\s+0\s+0\s+3\s+0"), status.Stdout);
    }

    private static AgentProcess Client(AgentProcess server) =>
        AgentProcess.Start(["-client", $"-servers={server.RpcAddress}", $"-data-dir={Dir()}"], RawExec);

    private static Task WaitForReadyNodes(AgentProcess server, int count) =>
        Eventually.WaitAsync(async () =>
        {
            var nodes = await server.Http.GetFromJsonAsync<JsonElement>("/v1/nodes");
            return nodes.EnumerateArray().Count(n => n.GetProperty("Status").GetString() == "ready") == count;
        }, Deadline, $"{count} ready nodes");

    private static Task WaitForCompleteOnNodes(AgentProcess server, int count) =>
        Eventually.WaitAsync(async () =>
        {
            var allocs = await Allocs(server);
            return allocs.Count(x => x.Status == "complete") == count && allocs.All(x => x.Status == "complete");
        }, Deadline, $"the job to complete on {count} nodes");

    private static async Task<List<(string Node, string Status)>> Allocs(AgentProcess server)
    {
        var list = await server.Http.GetFromJsonAsync<JsonElement>("/v1/job/once/allocations");
        return list.EnumerateArray().Select(x => (x.GetProperty("NodeID").GetString()!, x.GetProperty("ClientStatus").GetString()!)).ToList();
    }

    private static string Dir() => Directory.CreateTempSubdirectory("nomad-it-data-").FullName;
}
