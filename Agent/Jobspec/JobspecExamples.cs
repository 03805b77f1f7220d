namespace Nomad.Agent.Jobspec;

/// <summary>The file <c>nomad job init</c> writes.</summary>
public static class JobspecExamples
{
    public const string InitFileName = "example.nomad";

    /// <summary>A service that prints a line every five seconds with raw_exec, which a fresh dev agent has.</summary>
    public const string Init = """
        # An example job. Run it with "nomad job run example.nomad",
        # then watch it with "nomad job status example" and "nomad alloc logs <alloc-id>".
        job "example" {
          # The datacenters the job may run in; a dev agent is in "dc1".
          datacenters = ["dc1"]

          # "service" jobs run until stopped; "batch" jobs run to completion.
          type = "service"

          group "example" {
            # How many instances of this group to run.
            count = 1

            # Restart a failed task in place twice within 30 minutes, then give up.
            restart {
              attempts = 2
              interval = "30m"
              delay    = "15s"
              mode     = "fail"
            }

            ephemeral_disk {
              size = 300 # MB
            }

            task "hello" {
              # raw_exec runs the command as a plain process on the client.
              driver = "raw_exec"

              config {
                command = "/bin/sh"
                args    = ["-c", "while true; do echo hello from nomad; sleep 5; done"]
              }

              resources {
                cpu    = 100 # MHz
                memory = 64  # MB
              }

              logs {
                max_files     = 5
                max_file_size = 10 # MB
              }
            }
          }
        }

        """;
}
