using System.Text.RegularExpressions;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests;

/// <summary>
/// A docker job end to end on a real `nomad agent -dev` with the built docker driver (dist/plugins/docker) and the
/// real daemon: the task runs in a labelled container with the alloc dir mounted, its output reaches
/// `nomad alloc logs`, and stopping the job leaves no container behind. Ignored without a daemon or the test image.
/// </summary>
[TestFixture]
public sealed class DockerJobTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);


    [Test]
    public async Task A_docker_job_runs_logs_and_leaves_no_container_when_stopped()
    {
        await DockerCli.IgnoreUnlessAvailableAsync();

        await using var agent = AgentProcess.Start(["-dev"]);
        await agent.WaitForReadyNodeAsync();
        var dir = Directory.CreateTempSubdirectory("nomad-it-docker-").FullName;
        var job = $"dock{Guid.NewGuid():N}"[..12];
        File.WriteAllText(Path.Combine(dir, "dock.nomad"), $$"""
            job "{{job}}" {
              datacenters = ["dc1"]
              group "g" {
                task "web" {
                  driver = "docker"
                  config {
                    image        = "local/busybox:1"
                    command      = "/bin/sh"
                    args         = ["-c", "echo hello from docker in $NOMAD_ALLOC_DIR; echo x > /alloc/marker; exec sleep 300"]
                    network_mode = "none"
                  }
                  resources { memory = 32 }
                }
              }
            }
            """);
        Task<CliResult> Nomad(params string[] args) => CliRun.RunInAsync(dir, agent.Address, args);

        var run = await Nomad("job", "run", "dock.nomad");
        Assert.That(run.ExitCode, Is.Zero, $"{run.Stdout}\n{run.Stderr}\n--- agent:\n{agent.Output}");
        var allocId = Regex.Match(run.Stdout, "Allocation \"([0-9a-f]{8})\" created").Groups[1].Value;
        Assert.That(allocId, Is.Not.Empty, run.Stdout);

        await Eventually.WaitAsync(async () => (await Nomad("alloc", "logs", allocId)).Stdout.Contains("hello from docker in /alloc"),
            Deadline, $"the container's output in alloc logs\n--- agent:\n{agent.Output}");
        var status = await Nomad("alloc", "status", allocId);
        Assert.That(status.Stdout, Does.Contain("Task \"web\" is \"running\""), status.Stdout);
        var ps = await DockerCli.RunAsync("ps", "-a", "--filter", $"label=com.hashicorp.nomad.job_name={job}", "--format", "{{.Names}} {{.State}}");
        Assert.That(ps.Out.Trim(), Does.Match($"^web-{allocId}[0-9a-f-]+ running$"), "one labelled container, named as Nomad names it");

        // A second job whose image is nowhere: the driver's pull attempt shows among the task's events, then the
        // failure, within the deadline rather than hanging.
        File.WriteAllText(Path.Combine(dir, "missing.nomad"), $$"""
            job "{{job}}-missing" {
              datacenters = ["dc1"]
              type = "batch"
              group "g" {
                restart { attempts = 0 }
                reschedule { attempts = 0 }
                task "web" {
                  driver = "docker"
                  config {
                    image        = "local/not-here:1"
                    network_mode = "none"
                  }
                  resources { memory = 32 }
                }
              }
            }
            """);
        var missing = await Nomad("job", "run", "-detach", "missing.nomad");
        Assert.That(missing.ExitCode, Is.Zero, $"{missing.Stdout}\n{missing.Stderr}");
        string events = "";
        await Eventually.WaitAsync(async () =>
            {
                var allocs = await Nomad("job", "status", $"{job}-missing");
                var id = Regex.Match(allocs.Stdout, @"\n([0-9a-f]{8})\s").Groups[1].Value;
                if (id.Length == 0) return false;
                events = (await Nomad("alloc", "status", id)).Stdout;
                return events.Contains("Driver Failure") && events.Contains("Downloading image local/not-here:1");
            },
            Deadline, $"the pull shows as a Driver event and the task fails\n{events}\n--- agent:\n{agent.Output}");
        Assert.That(events, Does.Contain("Failed to pull"), events);

        var stop = await Nomad("job", "stop", job);
        Assert.That(stop.ExitCode, Is.Zero, $"{stop.Stdout}\n{stop.Stderr}");
        await Eventually.WaitAsync(async () => (await DockerCli.RunAsync("ps", "-a", "-q", "--filter", $"label=com.hashicorp.nomad.job_name={job}")).Out.Trim().Length == 0,
            Deadline, $"no container of the job left after it stopped\n--- agent:\n{agent.Output}");
    }
}
