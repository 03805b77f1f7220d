using System.Diagnostics;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests;

/// <summary>
/// `nomad alloc exec` against a real dev agent, through the CLI and Nomad's exec websocket: for exec, the command runs
/// in the task's PID namespace and chroot as its user; stdin, output and the exit code come through; raw_exec runs
/// it in the task's directory. Also the task's environment inside the chroot and the exec task's cgroup stats.
/// exec needs root and cgroups: those tests are skipped (with the reason) without them.
/// </summary>
[TestFixture]
public sealed class AllocExecTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [DllImport("libc")] private static extern uint geteuid();

    private static string ExecJob(string name, string script) => $$"""
        job "{{name}}" {
          datacenters = ["dc1"]
          group "g" {
            task "t" {
              driver = "exec"
              config {
                command = "/bin/sh"
                args = ["-c", {{JsonSerializer.Serialize(script)}}]
              }
              resources {
                cpu    = 100
                memory = 128
              }
            }
          }
        }
        """;

    private static string RawJob(string name) => $$"""
        job "{{name}}" {
          datacenters = ["dc1"]
          group "g" {
            task "r" {
              driver = "raw_exec"
              config {
                command = "/bin/sleep"
                args    = ["600"]
              }
            }
          }
        }
        """;

    private static void SkipUnlessExecWorks()
    {
        if (geteuid() != 0) Assert.Ignore("the exec driver needs root (not root here)");
        // What the exec driver itself looks for (v1 memory hierarchy or the v2 unified one); an empty /sys/fs/cgroup is not enough.
        if (!Directory.Exists("/sys/fs/cgroup/memory") && !File.Exists("/sys/fs/cgroup/cgroup.controllers")) Assert.Ignore("no cgroup mount here");
    }

    /// <summary>Runs the job file and returns its one allocation's ID once it runs.</summary>
    private static async Task<string> RunJobAsync(AgentProcess agent, string dir, string name, string hcl)
    {
        var file = Path.Combine(dir, name + ".nomad");
        await File.WriteAllTextAsync(file, hcl);
        var run = await CliRun.RunInAsync(dir, agent.Address, "job", "run", "-detach", file);
        Assert.That(run.ExitCode, Is.Zero, run.Stdout + run.Stderr);
        return await Eventually.WaitAsync(async () =>
        {
            var allocs = await agent.Http.GetFromJsonAsync<JsonElement>($"/v1/job/{name}/allocations");
            return allocs.EnumerateArray().Where(a => a.GetProperty("ClientStatus").GetString() == "running")
                .Select(a => a.GetProperty("ID").GetString()).FirstOrDefault();
        }, Deadline, $"job {name} to run");
    }

    /// <summary>The CLI with <paramref name="stdin"/> written to it, then closed.</summary>
    private static async Task<CliResult> NomadWithStdinAsync(string address, string stdin, params string[] args)
    {
        var psi = new ProcessStartInfo(Repo.Nomad)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NOMAD_ADDR"] = address;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.StandardInput.WriteAsync(stdin);
        p.StandardInput.Close();
        using var cts = new CancellationTokenSource(Deadline);
        await p.WaitForExitAsync(cts.Token);
        return new CliResult(p.ExitCode, await stdout, await stderr);
    }

    [Test]
    public async Task Exec_into_an_exec_task_sees_only_its_processes_passes_stdin_and_returns_the_exit_code()
    {
        SkipUnlessExecWorks();
        await using var agent = AgentProcess.Start(["-dev"]);
        await agent.WaitForReadyNodeAsync();
        var dir = Directory.CreateTempSubdirectory("nomad-it-allocexec-").FullName;
        Task<CliResult> Nomad(params string[] args) => CliRun.RunInAsync(dir, agent.Address, args);
        try
        {
            var alloc = await RunJobAsync(agent, dir, "ex", ExecJob("ex", "env; sleep 600"));
            var shortId = alloc[..8];

            // PID namespace: the task is PID 1, and besides it only what the exec itself runs.
            var ls = await Nomad("alloc", "exec", shortId, "ls", "/proc");
            Assert.That(ls.ExitCode, Is.Zero, ls.Stderr + "\n--- agent:\n" + agent.Output);
            var pids = ls.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(e => e.All(char.IsAsciiDigit)).Select(int.Parse).ToList();
            Assert.That(pids, Does.Contain(1));
            Assert.That(pids.Count, Is.LessThanOrEqualTo(4), $"only the task's processes: {string.Join(' ', pids)}");
            var ps = await Nomad("alloc", "exec", shortId, "ps", "ax");
            Assert.That(ps.Stdout, Does.Contain("sleep 600"));
            Assert.That(ps.Stdout, Does.Not.Contain("nomad agent"), "host processes are invisible");

            // The chroot and the task's user.
            var id = await Nomad("alloc", "exec", shortId, "sh", "-c", "id -u; test -d /local && test -d /alloc && echo chrooted");
            Assert.That(id.Stdout, Is.EqualTo("65534\nchrooted\n"), id.Stderr);

            // stdin reaches the command; its exit code is the CLI's.
            var cat = await NomadWithStdinAsync(agent.Address, "hello through stdin\nsecond line\n", "alloc", "exec", shortId, "cat");
            Assert.That(cat.ExitCode, Is.Zero, cat.Stderr);
            Assert.That(cat.Stdout, Is.EqualTo("hello through stdin\nsecond line\n"));
            var three = await Nomad("alloc", "exec", shortId, "sh", "-c", "echo to-stderr >&2; exit 3");
            Assert.That(three.ExitCode, Is.EqualTo(3));
            Assert.That(three.Stderr, Is.EqualTo("to-stderr\n"));

            // The task's environment names its directories as seen inside the chroot.
            var logs = await Eventually.WaitAsync(async () =>
            {
                var l = await Nomad("alloc", "logs", shortId);
                return l.Stdout.Contains("NOMAD_TASK_DIR=") ? l.Stdout : null;
            }, Deadline, "the task's env in its log");
            Assert.That(logs, Does.Contain("NOMAD_ALLOC_DIR=/alloc\n"));
            Assert.That(logs, Does.Contain("NOMAD_TASK_DIR=/local\n"));
            Assert.That(logs, Does.Contain("NOMAD_SECRETS_DIR=/secrets\n"));

            // Errors: unknown allocation, unknown task; one line each, exit 1.
            var unknown = await Nomad("alloc", "exec", "00000000", "ls");
            Assert.That(unknown.ExitCode, Is.EqualTo(1));
            Assert.That(unknown.Stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
            Assert.That(unknown.Stderr, Does.Contain("No allocation(s) with prefix or id \"00000000\" found"));
            var noTask = await Nomad("alloc", "exec", "-task", "nope", shortId, "ls");
            Assert.That(noTask.ExitCode, Is.EqualTo(1));
            Assert.That(noTask.Stderr, Does.StartWith("Could not find task named: nope"));

            // The websocket itself answers an unknown allocation with Nomad's close code 4404.
            using var ws = new System.Net.WebSockets.ClientWebSocket();
            await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{agent.HttpPort}/v1/client/allocation/{Guid.NewGuid()}/exec?task=t&command=%5B%22ls%22%5D"), CancellationToken.None);
            var r = await ws.ReceiveAsync(new byte[1024], CancellationToken.None);
            Assert.That(r.MessageType, Is.EqualTo(System.Net.WebSockets.WebSocketMessageType.Close));
            Assert.That((int?)ws.CloseStatus, Is.EqualTo(4404));
            Assert.That(ws.CloseStatusDescription, Does.StartWith("Unknown allocation"));
        }
        finally
        {
            await Nomad("job", "stop", "ex");
        }
    }

    [Test]
    public async Task Exec_into_a_raw_exec_task_runs_in_its_directory_with_stdin_and_exit_code()
    {
        await using var agent = AgentProcess.Start(["-dev"]);
        await agent.WaitForReadyNodeAsync();
        var dir = Directory.CreateTempSubdirectory("nomad-it-allocexec-raw-").FullName;
        Task<CliResult> Nomad(params string[] args) => CliRun.RunInAsync(dir, agent.Address, args);
        try
        {
            var alloc = await RunJobAsync(agent, dir, "raw", RawJob("raw"));
            var pwd = await Nomad("alloc", "exec", alloc[..8], "pwd");
            Assert.That(pwd.ExitCode, Is.Zero, pwd.Stderr + "\n--- agent:\n" + agent.Output);
            Assert.That(pwd.Stdout.Trim(), Does.EndWith($"/{alloc}/r"), "the task's directory");
            var cat = await NomadWithStdinAsync(agent.Address, "raw stdin", "alloc", "exec", alloc[..8], "cat");
            Assert.That(cat.Stdout, Is.EqualTo("raw stdin"), cat.Stderr);
            var code = await Nomad("alloc", "exec", alloc[..8], "sh", "-c", "exit 3");
            Assert.That(code.ExitCode, Is.EqualTo(3), code.Stderr);
        }
        finally
        {
            await Nomad("job", "stop", "raw");
        }
    }

    [Test]
    public async Task Alloc_stats_of_an_exec_task_show_its_cgroup_memory_and_cpu_moving()
    {
        SkipUnlessExecWorks();
        await using var agent = AgentProcess.Start(["-dev"]);
        await agent.WaitForReadyNodeAsync();
        var dir = Directory.CreateTempSubdirectory("nomad-it-allocexec-stats-").FullName;
        try
        {
            // ~30 MB held by the shell, then a second of CPU every few seconds (a busy loop would starve a 2-core box).
            var alloc = await RunJobAsync(agent, dir, "burn", ExecJob("burn",
                "x=$(head -c 30000000 /dev/zero | tr '\\0' a); while :; do i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; sleep 2; done"));
            var seen = await Eventually.WaitAsync<object>(async () =>
            {
                var stats = await agent.Http.GetFromJsonAsync<JsonElement>($"/v1/client/allocation/{alloc}/stats");
                var u = stats.GetProperty("Tasks").GetProperty("t").GetProperty("ResourceUsage");
                var r = u.GetProperty("MemoryStats").GetProperty("RSS").GetUInt64();
                var c = u.GetProperty("CpuStats").GetProperty("Percent").GetDouble();
                return r > 20_000_000 && c > 1 ? (object)(r, c) : null;
            }, Deadline, "the task's RSS above 20 MB and CPU above 1%");
            var (rss, cpu) = ((ulong, double))seen;
            Assert.That(rss, Is.GreaterThan(20_000_000UL));
            Assert.That(cpu, Is.GreaterThan(1.0));
        }
        finally
        {
            await CliRun.RunInAsync(dir, agent.Address, "job", "stop", "burn");
        }
    }
}
