using System.Text.Json;

namespace Nomad.Cli.Tests;

/// <summary>
/// How `job run -output`, `job validate` and `job plan` read a job file: HCL2 with -var, -var-file and NOMAD_VAR_,
/// -hcl1, and what they refuse (bad variables, stanzas this agent cannot run yet), without any agent.
/// </summary>
public class JobFileFlagsTests
{
    private string _dir = "";

    [SetUp]
    public void MakeDir() => _dir = Directory.CreateTempSubdirectory("nomad-cli-jobfile-").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static async Task<(int Code, string Out, string Err)> NomadAsync(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var code = await NomadCli.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private const string VariablesJob = """
        variable "image" {
          type = string
        }
        variable "replicas" {
          type    = number
          default = 1
        }
        job "web" {
          datacenters = ["dc1"]
          group "g" {
            count = var.replicas * 2
            task "t" {
              driver = "raw_exec"
              config {
                command = "/bin/echo"
                args    = [var.image, "${NOMAD_ALLOC_ID}", file("greeting.txt")]
              }
            }
          }
        }
        """;

    [Test]
    public async Task Output_prints_the_job_as_the_file_describes_it_with_variables_from_flags_and_files()
    {
        var job = Write("web.nomad.hcl", VariablesJob);
        Write("greeting.txt", "hello");
        var varFile = Write("prod.vars.hcl", "replicas = 3\n");

        var (code, stdout, stderr) = await NomadAsync("job", "run", "-output", "-var", "image=redis:7", "-var-file", varFile, job);

        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Does.StartWith("{\n    \"Job\": {\n"), "Go's MarshalIndent: four spaces under {\"Job\": ...}");
        var root = JsonDocument.Parse(stdout).RootElement.GetProperty("Job");
        Assert.That(root.GetProperty("Priority").ValueKind, Is.EqualTo(JsonValueKind.Null), "not canonicalized: unset stays null");
        var group = root.GetProperty("TaskGroups")[0];
        Assert.That(group.GetProperty("Count").GetInt32(), Is.EqualTo(6));
        Assert.That(group.GetProperty("Tasks")[0].GetProperty("Config").GetProperty("args").EnumerateArray().Select(a => a.GetString()),
            Is.EqualTo(new[] { "redis:7", "${NOMAD_ALLOC_ID}", "hello" }));
    }

    [Test]
    public async Task A_variable_without_a_value_or_a_malformed_var_is_an_error_and_exit_1()
    {
        var job = Write("web.nomad.hcl", VariablesJob);
        Write("greeting.txt", "hello");

        var (code, stdout, stderr) = await NomadAsync("job", "run", "-output", job);
        Assert.That((code, stdout), Is.EqualTo((1, "")));
        Assert.That(stderr, Does.StartWith("Error getting job struct: ").And.Contain("\"image\""));

        (code, _, stderr) = await NomadAsync("job", "validate", "-var", "image", job);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr, Does.Contain("-var option \"image\" is not correctly specified"));

        (code, _, stderr) = await NomadAsync("job", "validate", "-var", "image=x", "-var", "nope=1", job);
        Assert.That(code, Is.EqualTo(1), "an undeclared variable is refused (-hcl2-strict)");
        Assert.That(stderr, Does.Contain("nope"));
    }

    [Test]
    public async Task Without_hcl2_strict_values_for_undeclared_variables_are_ignored()
    {
        var job = Write("web.nomad.hcl", VariablesJob);
        Write("greeting.txt", "hello");
        var varFile = Write("shared.vars.hcl", "replicas = 2\nregion = \"eu\"\n");

        var (code, stdout, stderr) = await NomadAsync("job", "validate", "-hcl2-strict=false", "-var", "image=x", "-var", "nope=1", "-var-file", varFile, job);

        Assert.That((code, stdout), Is.EqualTo((0, "Job validation successful\n")), stderr);
    }

    [Test]
    public async Task A_file_only_HCL1_reads_gets_Nomads_hint_to_use_hcl1()
    {
        var job = Write("curl.nomad", """
            job "curl" {
              datacenters = ["dc1"]
              group "g" {
                task "t" {
                  driver = "raw_exec"
                  config {
                    command = "/usr/bin/curl"
                    args    = ["-w", "%{http_code}", "http://127.0.0.1"]
                  }
                }
              }
            }
            """);

        var (code, _, stderr) = await NomadAsync("job", "validate", job);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr, Does.StartWith("Error getting job struct: Failed to parse using HCL 2. Use the HCL 1 parser with `nomad run -hcl1`, or address the following issues:\n"));
        Assert.That(stderr, Does.Contain("curl.nomad:8,"));

        (code, var stdout, stderr) = await NomadAsync("job", "validate", "-hcl1", job);
        Assert.That((code, stdout), Is.EqualTo((0, "Job validation successful\n")), stderr);
    }

    [Test]
    public async Task Validate_accepts_a_valid_file_and_refuses_what_this_agent_cannot_run_yet()
    {
        var job = Write("web.nomad.hcl", VariablesJob);
        Write("greeting.txt", "hello");
        var (code, stdout, stderr) = await NomadAsync("job", "validate", "-var", "image=x", job);
        Assert.That((code, stdout), Is.EqualTo((0, "Job validation successful\n")), stderr);

        var service = Write("svc.nomad.hcl", """
            job "svc" {
              datacenters = ["dc1"]
              group "g" {
                service {
                  name = "web"
                }
                task "t" {
                  driver = "raw_exec"
                  config {
                    command = "/bin/true"
                  }
                }
              }
            }
            """);
        (code, _, stderr) = await NomadAsync("job", "validate", service);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr, Does.Contain("group \"g\" service is not supported yet"));

        // -output still shows it: the stanza decodes even though it cannot run yet.
        (code, stdout, _) = await NomadAsync("job", "run", "-output", service);
        Assert.That(code, Is.Zero);
        Assert.That(JsonDocument.Parse(stdout).RootElement.GetProperty("Job").GetProperty("TaskGroups")[0]
            .GetProperty("Services")[0].GetProperty("Name").GetString(), Is.EqualTo("web"));
    }

    [Test]
    public async Task Hcl1_reads_the_file_without_evaluating_it()
    {
        var job = Write("old.nomad", """
            job "old" {
              datacenters = ["dc1"]
              group "g" {
                task "t" {
                  driver = "raw_exec"
                  config {
                    command = "/bin/echo"
                    args    = ["${var.x}"]
                  }
                }
              }
            }
            """);
        var (code, stdout, stderr) = await NomadAsync("job", "run", "-output", "-hcl1", job);
        Assert.That(code, Is.Zero, stderr);
        Assert.That(JsonDocument.Parse(stdout).RootElement.GetProperty("Job").GetProperty("TaskGroups")[0].GetProperty("Tasks")[0]
            .GetProperty("Config").GetProperty("args")[0].GetString(), Is.EqualTo("${var.x}"));

        (code, _, stderr) = await NomadAsync("job", "run", "-output", job);
        Assert.That(code, Is.EqualTo(1), "HCL2 evaluates ${var.x}, and there is no such variable");
        Assert.That(stderr, Does.Contain("old.nomad:8,"));
    }
}
