using System.Net.Http.Json;
using System.Text.Json;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests;

/// <summary>
/// A drain moves a service group by its `migrate` block: one server, a client holding the group's three allocations and a
/// second client to move to; `nomad node drain` on the first, with the group's allocations sampled from the API throughout.
/// </summary>
[TestFixture]
public sealed class MigrateDrainTests
{
    private static readonly TimeSpan Formation = TimeSpan.FromSeconds(60);

    [Test]
    public async Task A_drain_with_max_parallel_1_never_moves_two_allocations_of_the_group_at_once_and_replaces_them_all()
    {
        await using var cluster = ServerCluster.Start(1);
        await cluster.WaitForLeaderAsync(1, Formation);
        var server = cluster.Servers[0]!;
        var first = cluster.StartClient();
        var firstNode = await Eventually.WaitAsync(async () => (await ReadyNodesAsync(server)).SingleOrDefault(), Formation, "the first client's node to be ready");

        var dir = Directory.CreateTempSubdirectory("nomad-it-migrate-").FullName;
        var file = Path.Combine(dir, "web.nomad");
        File.WriteAllText(file, """
            job "web" {
              datacenters = ["dc1"]
              group "web" {
                count = 3
                migrate {
                  max_parallel     = 1
                  min_healthy_time = "1s"
                }
                task "sleep" {
                  driver = "raw_exec"
                  config {
                    command = "/bin/sleep"
                    args    = ["300"]
                  }
                  resources {
                    cpu    = 50
                    memory = 32
                  }
                }
              }
            }
            """);
        var run = await CliRun.RunInAsync(dir, server.Address, "job", "run", "-detach", "web.nomad");
        Assert.That(run.ExitCode, Is.Zero, run.Stdout + run.Stderr);
        try
        {
            var original = await Eventually.WaitAsync(async () =>
            {
                var allocs = await AllocsAsync(server);
                return allocs.Length == 3 && allocs.All(a => Str(a, "ClientStatus") == "running" && Healthy(a)) ? allocs : null;
            }, Formation, "3 running allocations, healthy after min_healthy_time");
            Assert.That(original.Select(a => Str(a, "NodeID")), Is.All.EqualTo(firstNode));

            cluster.StartClient();
            await Eventually.WaitAsync(async () => (await ReadyNodesAsync(server)).Length == 2, Formation, "the second client's node to be ready");

            var drain = CliRun.RunAsync(server.Address, "node", "drain", "-enable", "-yes", "-deadline", "5m", firstNode);
            var most = 0;
            var samples = 0;
            ulong index = 0;
            while (!drain.IsCompleted)
            {
                using var resp = await server.Http.GetAsync($"/v1/job/web/allocations?index={index}&wait=1s");
                index = ulong.Parse(resp.Headers.GetValues("X-Nomad-Index").First());
                var allocs = (await resp.Content.ReadFromJsonAsync<JsonElement[]>())!;
                most = Math.Max(most, Migrating(allocs));
                samples++;
            }
            var result = await drain;
            Assert.That(result.ExitCode, Is.Zero, result.Stdout + result.Stderr + "\n--- server:\n" + server.Output);
            TestContext.Out.WriteLine($"{samples} samples; drain output:\n{result.Stdout}");
            Assert.That(most, Is.EqualTo(1), "allocations were moved, and never two at a time");

            var after = await AllocsAsync(server);
            var live = after.Where(a => Str(a, "DesiredStatus") == "run").ToArray();
            Assert.That(live, Has.Length.EqualTo(3));
            Assert.That(live.Select(a => Str(a, "NodeID")), Has.None.EqualTo(firstNode));
            await Eventually.WaitAsync(async () => (await AllocsAsync(server)).Count(a => Str(a, "DesiredStatus") == "run" && Str(a, "ClientStatus") == "running") == 3,
                Formation, "the 3 replacements to run");
            var replacedBy = after.Where(a => original.Any(o => Str(o, "ID") == Str(a, "ID"))).Select(a => Str(a, "NextAllocation"));
            Assert.That(replacedBy, Is.EquivalentTo(live.Select(a => Str(a, "ID"))), "every original allocation was replaced by one of the live ones");
        }
        finally
        {
            // The tasks outlive their agents: stop the job and let the clients kill them first.
            await server.Http.DeleteAsync("/v1/job/web");
            await Eventually.WaitAsync(async () => (await AllocsAsync(server)).All(a => Str(a, "ClientStatus") is "complete" or "failed" or "lost"),
                Formation, "the job's tasks to stop");
        }
    }

    /// <summary>Allocations of the group on their way out whose replacement is not running healthy yet.</summary>
    private static int Migrating(JsonElement[] allocs)
    {
        var byId = allocs.ToDictionary(a => Str(a, "ID"));
        return allocs.Count(a => a.GetProperty("DesiredTransition").TryGetProperty("Migrate", out var m) && m.ValueKind == JsonValueKind.True
            && !(byId.TryGetValue(Str(a, "NextAllocation"), out var r) && Str(r, "ClientStatus") == "running" && Healthy(r)));
    }

    private static bool Healthy(JsonElement a) =>
        a.GetProperty("DeploymentStatus") is { ValueKind: JsonValueKind.Object } d && d.GetProperty("Healthy").ValueKind == JsonValueKind.True;

    private static string Str(JsonElement e, string name) => e.GetProperty(name).GetString() ?? "";

    private static async Task<JsonElement[]> AllocsAsync(AgentProcess server) =>
        (await server.Http.GetFromJsonAsync<JsonElement[]>("/v1/job/web/allocations"))!;

    private static async Task<string[]> ReadyNodesAsync(AgentProcess server) =>
        (await server.Http.GetFromJsonAsync<JsonElement[]>("/v1/nodes"))!
            .Where(n => Str(n, "Status") == "ready").Select(n => Str(n, "ID")).ToArray();
}
