using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests;

/// <summary>
/// `nomad alloc fs` against a dev agent running a raw_exec task: listing, cat, -stat, -tail -n, and -f following a
/// file until it is deleted.
/// </summary>
[TestFixture]
public sealed class AllocFsCliTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Fs_lists_cats_stats_tails_and_follows_a_file_until_it_is_deleted()
    {
        await using var agent = AgentProcess.Start(["-dev"]);
        await agent.WaitForReadyNodeAsync();
        var trigger = Directory.CreateTempSubdirectory("nomad-it-fs-").FullName;
        var job = $"fs{Guid.NewGuid():N}"[..10];
        var file = Path.Combine(trigger, "fs.nomad");
        File.WriteAllText(file, $$"""
            job "{{job}}" {
              datacenters = ["dc1"]
              group "g" {
                task "t" {
                  driver = "raw_exec"
                  config {
                    command = "/bin/sh"
                    args    = ["-c", "printf 'l1\nl2\nl3\n' > $NOMAD_TASK_DIR/out.txt; while [ ! -e {{trigger}}/go ]; do sleep 0.1; done; echo l4 >> $NOMAD_TASK_DIR/out.txt; while [ ! -e {{trigger}}/rm ]; do sleep 0.1; done; rm $NOMAD_TASK_DIR/out.txt; exec sleep 300"]
                  }
                }
              }
            }
            """);
        Task<CliResult> Nomad(params string[] args) => CliRun.RunInAsync(trigger, agent.Address, args);
        var run = await Nomad("job", "run", "-detach", file);
        Assert.That(run.ExitCode, Is.Zero, run.Stdout + run.Stderr);
        var allocId = await Eventually.WaitAsync(async () =>
        {
            var allocs = await agent.Http.GetFromJsonAsync<JsonElement>($"/v1/job/{job}/allocations");
            return allocs.EnumerateArray().Where(a => a.GetProperty("ClientStatus").GetString() == "running").Select(a => a.GetProperty("ID").GetString()).FirstOrDefault();
        }, Deadline, "the task to run");
        await Eventually.WaitAsync(async () => (await Nomad("alloc", "fs", allocId!, "t/local/out.txt")).Stdout == "l1\nl2\nl3\n", Deadline, "the task's file");

        var root = await Nomad("alloc", "fs", allocId!);
        Assert.That(root.ExitCode, Is.Zero, root.Stderr);
        Assert.That(root.Stdout, Does.Match(@"^Mode\s+Size\s+Modified Time\s+Name\n"));
        Assert.That(root.Stdout, Does.Match(@"\nd\S+\s+.+\s+\d{4}-\d\d-\d\dT\S+\s+alloc/\n").And.Match(@"\s+t/\n"), root.Stdout);

        var stat = await Nomad("alloc", "fs", "-stat", "-H", allocId!, "t/local/out.txt");
        Assert.That(stat.Stdout, Does.Match(@"^Mode\s+Size\s+Modified Time\s+Content Type\s+Name\n-rw\S+\s+9\s+\S+\s+text/plain; charset=utf-8\s+out.txt\n$"), stat.Stdout);

        var tail = await Nomad("alloc", "fs", "-tail", "-n", "2", allocId!, "t/local/out.txt");
        Assert.That(tail.Stdout, Is.EqualTo("l2\nl3\n"));
        var bytes = await Nomad("alloc", "fs", "-tail", "-c", "3", allocId!, "t/local/out.txt");
        Assert.That(bytes.Stdout, Is.EqualTo("l3\n"));
        var both = await Nomad("alloc", "fs", "-tail", "-n", "1", "-c", "1", allocId!, "t/local/out.txt");
        Assert.That((both.ExitCode, both.Stderr.Trim()), Is.EqualTo((1, "Both -n and -c are not allowed")));

        // -f prints what is there, then what is appended, and ends when the file is deleted.
        var psi = new ProcessStartInfo(Repo.Nomad) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "alloc", "fs", "-f", allocId!, "t/local/out.txt" }) psi.ArgumentList.Add(a);
        psi.Environment["NOMAD_ADDR"] = agent.Address;
        using var follow = Process.Start(psi)!;
        var stderr = follow.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Deadline);
        async Task<string?> LineAsync() => await follow.StandardOutput.ReadLineAsync(cts.Token);
        Assert.That(new[] { await LineAsync(), await LineAsync(), await LineAsync() }, Is.EqualTo(new[] { "l1", "l2", "l3" }));
        File.WriteAllText(Path.Combine(trigger, "go"), "");
        Assert.That(await LineAsync(), Is.EqualTo("l4"), "a line appended while following");
        File.WriteAllText(Path.Combine(trigger, "rm"), "");
        Assert.That(await LineAsync(), Is.Null, "the output ends when the file is deleted");
        await follow.WaitForExitAsync(cts.Token);
        Assert.That(follow.ExitCode, Is.Zero, await stderr);
    }
}
