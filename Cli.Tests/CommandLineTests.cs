using System.Net;
using System.Net.Sockets;

namespace Nomad.Cli.Tests;

/// <summary>The command line as a user meets it: version, help, and one-line errors with exit code 1.</summary>
public class CommandLineTests
{
    private sealed record Run(int ExitCode, string Out, string Err)
    {
        public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static async Task<Run> NomadAsync(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var code = await NomadCli.RunAsync(args, stdout, stderr);
        return new Run(code, stdout.ToString(), stderr.ToString());
    }

    [TestCase("-version")]
    [TestCase("--version")]
    [TestCase("-v")]
    [TestCase("version")]
    public async Task Version_prints_one_nomad_line(string arg)
    {
        var run = await NomadAsync(arg);

        Assert.That(run.ExitCode, Is.Zero);
        Assert.That(run.Out, Does.Match(@"^Nomad v\d+\.\d+\.\d+\n$"));
    }

    [TestCase("-help")]
    [TestCase("-h")]
    [TestCase("--help")]
    public async Task Help_is_shown_for_every_spelling(string flag)
    {
        var run = await NomadAsync("node", "status", flag);

        Assert.That(run.ExitCode, Is.Zero);
        Assert.That(run.Out, Does.Contain("-verbose").And.Contain("-address"));
    }

    [Test]
    public async Task Bare_nomad_prints_usage_and_fails()
    {
        var run = await NomadAsync();

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Err, Does.StartWith("Usage: nomad").And.Contain("node-status"));
    }

    [TestCase(new[] { "nope" }, "Error: Unrecognized command or argument 'nope' (see 'nomad -help')")]
    [TestCase(new[] { "agent", "-bogus" }, "Error: Unrecognized command or argument '-bogus' (see 'nomad agent -help')")]
    [TestCase(new[] { "agent", "-dv" }, "Error: Unrecognized command or argument '-dv' (see 'nomad agent -help')")]
    [TestCase(new[] { "agent", "-meta", "novalue" }, "Error parsing Client.Meta value: novalue (see 'nomad agent -help')")]
    [TestCase(new[] { "agent", "-bootstrap-expect=three" }, "Error: invalid value \"three\" for flag -bootstrap-expect: not a whole number (see 'nomad agent -help')")]
    [TestCase(new[] { "agent", "-retry-interval=soon" }, "Error: Invalid duration for -retry-interval: \"soon\" (want e.g. 30s, 1m30s) (see 'nomad agent -help')")]
    [TestCase(new[] { "agent", "-config" }, "Error: Required argument missing for option: '-config' (see 'nomad agent -help')")]
    [TestCase(new[] { "node", "status", "-v" }, "Error: Unrecognized command or argument '-v' (see 'nomad node status -help')")]
    [TestCase(new[] { "node", "status", "ab", "cd" }, "Error: This command takes either one or no arguments (see 'nomad node status -help')")]
    [TestCase(new[] { "server", "join" }, "Error: One or more node addresses must be given as arguments (see 'nomad server join -help')")]
    [TestCase(new[] { "server-force-leave" }, "Error: This command takes one argument: <node> (see 'nomad server-force-leave -help')")]
    [TestCase(new[] { "@args.rsp" }, "Error: Unrecognized command or argument '@args.rsp' (see 'nomad -help')")]
    public async Task Bad_command_lines_fail_with_one_line(string[] args, string expected)
    {
        var run = await NomadAsync(args);

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Out, Is.Empty);
        Assert.That(run.ErrLines, Is.EqualTo(new[] { expected }));
    }

    [Test]
    public async Task Posix_bundling_is_off()
    {
        // With bundling, -sv could mean -s -v; Nomad has no such thing.
        var run = await NomadAsync("node", "status", "-sv");

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.ErrLines, Has.Length.EqualTo(1));
    }

    [Test]
    public async Task A_single_character_prefix_is_refused_before_asking_the_agent()
    {
        var run = await NomadAsync("node", "status", "-address", "http://127.0.0.1:1", "a");

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.ErrLines, Is.EqualTo(new[] { "Identifier must contain at least two characters." }));
    }

    /// <summary>No agent at all (a port nobody listens on): Nomad's own wording, one line, exit 1.</summary>
    [TestCase(new[] { "node", "status" }, "Error querying node status: Get \"http://127.0.0.1:{0}/v1/nodes\": dial tcp 127.0.0.1:{0}: connect: connection refused")]
    [TestCase(new[] { "node-status", "-self" }, "Error querying agent info: Get \"http://127.0.0.1:{0}/v1/agent/self\": dial tcp 127.0.0.1:{0}: connect: connection refused")]
    [TestCase(new[] { "node", "status", "203f" }, "Error querying node info: Get \"http://127.0.0.1:{0}/v1/nodes?prefix=203f\": dial tcp 127.0.0.1:{0}: connect: connection refused")]
    [TestCase(new[] { "server", "members" }, "Error querying servers: Get \"http://127.0.0.1:{0}/v1/agent/members\": dial tcp 127.0.0.1:{0}: connect: connection refused")]
    [TestCase(new[] { "agent-info" }, "Error querying agent info: Get \"http://127.0.0.1:{0}/v1/agent/self\": dial tcp 127.0.0.1:{0}: connect: connection refused")]
    [TestCase(new[] { "server", "join", "10.0.0.1" }, "Error joining: Put \"http://127.0.0.1:{0}/v1/agent/join?address=10.0.0.1\": dial tcp 127.0.0.1:{0}: connect: connection refused")]
    [TestCase(new[] { "server", "force-leave", "vm.global" }, "Error force-leaving server vm.global: Put \"http://127.0.0.1:{0}/v1/agent/force-leave?node=vm.global\": dial tcp 127.0.0.1:{0}: connect: connection refused")]
    public async Task Unreachable_agent_is_one_nomad_style_line(string[] args, string expectedFormat)
    {
        var port = UnusedPort();

        var run = await NomadAsync([.. args, $"-address=http://127.0.0.1:{port}"]);

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.ErrLines, Is.EqualTo(new[] { string.Format(expectedFormat, port) }));
    }

    [Test]
    public async Task Region_is_sent_as_a_query_parameter()
    {
        var port = UnusedPort();

        var run = await NomadAsync("node", "status", "-region=europe", $"-address=127.0.0.1:{port}");

        Assert.That(run.Err, Does.Contain($"Get \"http://127.0.0.1:{port}/v1/nodes?region=europe\""));
    }

    [Test]
    public async Task An_unusable_address_is_one_error_line()
    {
        var run = await NomadAsync("node", "status", "-address=ftp://somewhere");

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.ErrLines, Has.Length.EqualTo(1));
        Assert.That(run.Err, Does.StartWith("Error"));
    }

    [Test]
    public async Task A_failing_command_is_one_error_line_not_a_stack_trace()
    {
        // The agent itself is not written yet: whatever it throws must come out as one line.
        var run = await NomadAsync("agent", "-config=/nonexistent/dir-for-cli-test");

        Assert.That(run.ExitCode, Is.Not.Zero);
        Assert.That(run.Err, Does.Not.Contain("   at "));
    }

    /// <summary>A loopback port nobody listens on: bound, read, released.</summary>
    private static int UnusedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
