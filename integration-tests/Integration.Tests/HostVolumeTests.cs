using System.Runtime.InteropServices;
using System.Text.Json;
using System.Net.Http.Json;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests;

/// <summary>
/// Host volumes end to end on a real dev agent: the client offers a read-only and a writable directory
/// (client host_volume blocks), a batch job mounts both into an exec task and into a docker task; each task reads the
/// read-only one, fails to write to it, and writes to the other, and the files on the host show exactly that.
/// </summary>
[TestFixture]
public sealed class HostVolumeTests
{
    [DllImport("libc")] private static extern uint geteuid();

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private static string Job(string name, string driver, string config) => $$"""
        job "{{name}}" {
          datacenters = ["dc1"]
          type        = "batch"
          group "g" {
            restart { attempts = 0 }
            reschedule { attempts = 0 }
            volume "certs" {
              type      = "host"
              source    = "shared"
              read_only = true
            }
            volume "out" {
              type   = "host"
              source = "scratch"
            }
            task "t" {
              driver = "{{driver}}"
              volume_mount {
                volume      = "certs"
                destination = "/srv/shared"
              }
              volume_mount {
                volume      = "out"
                destination = "/srv/scratch"
              }
              volume_mount {
                volume      = "out"
                destination = "/alloc/data/out"
              }
              config {
                {{config}}
                args    = ["-c", "cat /srv/shared/hello; if echo x > /srv/shared/w; then echo WROTE; else echo REFUSED; fi; echo from-task > /srv/scratch/{{driver}}; echo below-alloc > /alloc/data/out/{{driver}}-2"]
              }
              resources { memory = 32 }
            }
          }
        }
        """;

    private static async Task RunAndCheckAsync(string driver, string config)
    {
        var shared = Directory.CreateTempSubdirectory("nomad-it-hv-shared-").FullName;
        var scratch = Directory.CreateTempSubdirectory("nomad-it-hv-scratch-").FullName;
        // World-writable both: the only thing that may stop a write to the shared one is its read-only mount.
        foreach (var d in new[] { shared, scratch }) File.SetUnixFileMode(d, (UnixFileMode)0b111_111_111);
        File.WriteAllText(Path.Combine(shared, "hello"), "hello-from-host\n");
        File.SetUnixFileMode(Path.Combine(shared, "hello"), (UnixFileMode)0b110_100_100);

        await using var agent = AgentProcess.Start(["-dev"], $$"""
            client {
              host_volume "shared" {
                path      = "{{shared}}"
                read_only = true
              }
              host_volume "scratch" {
                path = "{{scratch}}"
              }
            }
            """);
        var nodeId = await agent.WaitForReadyNodeAsync();
        var node = await agent.Http.GetFromJsonAsync<JsonElement>($"/v1/node/{nodeId}");
        Assert.That(node.GetProperty("HostVolumes").GetProperty("shared").GetProperty("ReadOnly").GetBoolean(), Is.True, node.ToString());

        var name = $"hv-{driver}-{Guid.NewGuid():N}"[..16];
        var file = Path.Combine(agent.Dir, name + ".nomad");
        File.WriteAllText(file, Job(name, driver, config));
        var run = await CliRun.RunInAsync(agent.Dir, agent.Address, "job", "run", "-detach", file);
        Assert.That(run.ExitCode, Is.Zero, run.Stdout + run.Stderr);

        var allocId = await Eventually.WaitAsync(async () =>
        {
            var allocs = await agent.Http.GetFromJsonAsync<JsonElement>($"/v1/job/{name}/allocations");
            return allocs.EnumerateArray().Where(a => a.GetProperty("ClientStatus").GetString() is "complete" or "failed")
                .Select(a => a.GetProperty("ID").GetString()).FirstOrDefault();
        }, Deadline, $"the {driver} task to finish\n--- agent:\n{agent.Output}");

        var logs = await CliRun.RunInAsync(agent.Dir, agent.Address, "alloc", "logs", allocId!);
        Assert.That(logs.Stdout, Does.Contain("hello-from-host"), $"the task read the read-only volume\n{logs.Stdout}{logs.Stderr}\n--- agent:\n{agent.Output}");
        Assert.That(logs.Stdout, Does.Contain("REFUSED").And.Not.Contain("WROTE"), "the write to the read-only volume failed");
        Assert.That(File.Exists(Path.Combine(shared, "w")), Is.False, "nothing was written to the read-only host directory");
        Assert.That(File.ReadAllText(Path.Combine(scratch, driver)), Is.EqualTo("from-task\n"), "the writable volume took the task's file");
        Assert.That(File.ReadAllText(Path.Combine(scratch, driver + "-2")), Is.EqualTo("below-alloc\n"), "a volume mounted below /alloc is the volume");
    }

    [Test]
    public async Task An_exec_task_reads_a_read_only_host_volume_cannot_write_it_and_writes_a_writable_one()
    {
        if (geteuid() != 0) Assert.Ignore("the exec driver needs root (not root here)");
        if (!Directory.Exists("/sys/fs/cgroup/memory") && !File.Exists("/sys/fs/cgroup/cgroup.controllers")) Assert.Ignore("no cgroup mount here");
        await RunAndCheckAsync("exec", "command = \"/bin/sh\"");
    }

    [Test]
    public async Task A_docker_task_reads_a_read_only_host_volume_cannot_write_it_and_writes_a_writable_one()
    {
        await DockerCli.IgnoreUnlessAvailableAsync();
        await RunAndCheckAsync("docker", $"image = \"{DockerCli.TestImage}\"\n    command = \"/bin/sh\"\n    network_mode = \"none\"");
    }

    [Test]
    public async Task A_client_whose_host_volume_path_is_missing_does_not_start()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"nomad-it-hv-missing-{Guid.NewGuid():N}");
        await using var agent = AgentProcess.Start(["-dev"], $$"""
            client {
              host_volume "gone" {
                path = "{{missing}}"
              }
            }
            """);
        var code = await agent.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.That(code, Is.EqualTo(1), agent.Output);
        Assert.That(agent.Output, Does.Contain($"failed to validate volume gone, err: stat {missing}: no such file or directory"));
    }
}
