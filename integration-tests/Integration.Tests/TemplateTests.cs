using System.Net.Http.Json;
using System.Text.Json;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests;

/// <summary>
/// The template block on a real dev agent with raw_exec tasks: an env template feeds the task's environment, a file
/// template lands in the task dir before the task starts, and a template that does not parse fails the task with
/// a Template event naming the line.
/// </summary>
[TestFixture]
public sealed class TemplateTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static async Task<JsonElement> AllocAsync(AgentProcess agent, string job, Func<JsonElement, bool> ready, string what) =>
        await Eventually.WaitAsync(async () =>
        {
            var allocs = await agent.Http.GetFromJsonAsync<JsonElement>($"/v1/job/{job}/allocations");
            foreach (var stub in allocs.EnumerateArray())
            {
                var alloc = await agent.Http.GetFromJsonAsync<JsonElement>($"/v1/allocation/{stub.GetProperty("ID").GetString()}");
                if (ready(alloc)) return (JsonElement?)alloc;
            }
            return null;
        }, Deadline, what) ?? default;

    private static async Task RunAsync(AgentProcess agent, string dir, string name, string hcl)
    {
        var file = Path.Combine(dir, name + ".nomad");
        await File.WriteAllTextAsync(file, hcl);
        var run = await CliRun.RunInAsync(dir, agent.Address, "job", "run", "-detach", file);
        Assert.That(run.ExitCode, Is.Zero, run.Stdout + run.Stderr);
    }

    [Test]
    public async Task Env_and_file_templates_are_rendered_before_the_task_starts()
    {
        await using var agent = AgentProcess.Start(["-dev"]);
        await agent.WaitForReadyNodeAsync();
        var dir = Directory.CreateTempSubdirectory("nomad-it-template-").FullName;
        try
        {
            await RunAsync(agent, dir, "tmpl", """
                job "tmpl" {
                  datacenters = ["dc1"]
                  group "g" {
                    task "t" {
                      driver = "raw_exec"
                      config {
                        command = "/bin/sh"
                        args    = ["-c", "echo \"env:$FROM_TEMPLATE\"; echo \"arg:$1\"; cat local/config.txt; stat -c 'perms:%a' local/config.txt; sleep 600", "sh", "${FROM_TEMPLATE}"]
                      }
                      template {
                        data        = <<EOH
                FROM_TEMPLATE={{ env "NOMAD_ALLOC_ID" }}
                EOH
                        destination = "secrets/app.env"
                        env         = true
                      }
                      template {
                        data        = "greeting={{ \"hello\" | toUpper }} from {{ env \"NOMAD_TASK_NAME\" }}{{ range $i := loop 3 }} {{ $i }}{{ end }}\n"
                        destination = "local/config.txt"
                        perms       = "0600"
                      }
                    }
                  }
                }
                """);
            var alloc = await AllocAsync(agent, "tmpl", a => a.GetProperty("ClientStatus").GetString() == "running", "the templated task to run");
            var id = alloc.GetProperty("ID").GetString()!;
            var logs = await Eventually.WaitAsync(async () =>
            {
                var l = await CliRun.RunInAsync(dir, agent.Address, "alloc", "logs", id);
                return l.Stdout.Contains("perms:") ? l.Stdout : null;
            }, Deadline, "the task's output");
            // An env template's variables reach the driver config too (interpolated after the templates, as Nomad's).
            Assert.That(logs, Is.EqualTo($"env:{id}\narg:{id}\ngreeting=HELLO from t 0 1 2\nperms:600\n"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public async Task A_template_that_does_not_parse_fails_the_task_with_a_template_event()
    {
        await using var agent = AgentProcess.Start(["-dev"]);
        await agent.WaitForReadyNodeAsync();
        var dir = Directory.CreateTempSubdirectory("nomad-it-template-").FullName;
        try
        {
            await RunAsync(agent, dir, "badtmpl", """
                job "badtmpl" {
                  datacenters = ["dc1"]
                  group "g" {
                    restart {
                      attempts = 0
                      mode     = "fail"
                    }
                    reschedule {
                      attempts  = 0
                      unlimited = false
                    }
                    task "t" {
                      driver = "raw_exec"
                      config {
                        command = "/bin/sh"
                        args    = ["-c", "touch ran; sleep 600"]
                      }
                      template {
                        data        = "line one\n{{ if }}\n"
                        destination = "local/broken.txt"
                      }
                    }
                  }
                }
                """);
            var alloc = await AllocAsync(agent, "badtmpl", a => a.GetProperty("ClientStatus").GetString() == "failed", "the allocation to fail");
            var task = alloc.GetProperty("TaskStates").GetProperty("t");
            Assert.That(task.GetProperty("Failed").GetBoolean(), Is.True);
            var events = task.GetProperty("Events").EnumerateArray().ToList();
            var template = events.Single(e => e.GetProperty("Type").GetString() == "Template");
            Assert.That(template.GetProperty("DisplayMessage").GetString(),
                Is.EqualTo("Template failed: (dynamic): parse: template: :2: missing value for if"));
            Assert.That(events.Any(e => e.GetProperty("Type").GetString() == "Started"), Is.False, "the task never started");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
