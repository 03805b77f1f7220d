using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Nomad.Agent.Structs;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests.Client;

/// <summary>
/// /v1/client/fs/* against links a task can plant in its own directories (chains, loops, /proc, /, '..' after a link,
/// a link swapped while requests run): no answer ever carries a host file; what is inside still reads fine.
/// One agent and one running raw_exec allocation for the fixture; each test works in its own folder of t/local.
/// </summary>
[TestFixture]
public sealed class ClientFsConfinementTests
{
    private string _dir = "";
    private ClientAgent _agent = null!;
    private string _alloc = "";
    private string _passwd = "";

    [DllImport("libc", SetLastError = true)] private static extern int rename(string from, string to);
    [DllImport("libc", SetLastError = true)] private static extern int mkfifo(string path, uint mode);
    [DllImport("libc")] private static extern uint geteuid();

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _passwd = await File.ReadAllTextAsync("/etc/passwd");
        Assert.That(_passwd, Does.Contain("root:"), "the host file the tests look for");
        _dir = Directory.CreateTempSubdirectory("nomad-it-fsconfine-").FullName;
        _agent = await ClientAgent.StartAsync(Path.Combine(_dir, "data"));
        var job = ClientAgent.Job("""
            job "confine" {
              datacenters = ["dc1"]
              group "g" {
                task "t" {
                  driver = "raw_exec"
                  config {
                    command = "/bin/sh"
                    args    = ["-c", "echo started; while true; do sleep 1; done"]
                  }
                }
              }
            }
            """);
        var alloc = await _agent.PlaceAsync(job, "g");
        _alloc = alloc.ID;
        await _agent.WaitForStatusAsync(_alloc, AllocClientStatus.Running);
        await Eventually.WaitAsync(async () => await _agent.Http.GetStringAsync(Url("logs", "task=t&type=stdout&plain=true")) == "started\n",
            TimeSpan.FromSeconds(30), "the task's first line");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_agent is not null) await _agent.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private string Url(string op, string query) => $"/v1/client/fs/{op}/{_alloc}?{query}";

    private string InAlloc(string relative) => Path.Combine(_agent.AllocDir(_alloc), relative);

    /// <summary>A fresh folder t/local/NAME for one test.</summary>
    private string Folder(string name) => Directory.CreateDirectory(InAlloc($"t/local/{name}")).FullName;

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string op, string path, string extra = "")
    {
        using var r = await _agent.Http.GetAsync(Url(op, $"path={Uri.EscapeDataString(path)}{extra}"));
        return (r.StatusCode, await r.Content.ReadAsStringAsync());
    }

    /// <summary>No answer about this path may carry anything of the host: 400 naming the path, for every op given.</summary>
    private async Task AssertRefusedAsync(string path, string why, params string[] ops)
    {
        foreach (var op in ops)
        {
            var (status, body) = await GetAsync(op, path, op == "readat" ? "&offset=0&limit=100000" : "");
            Assert.That(body, Does.Not.Contain("root:"), $"{op} {path} returned the host's /etc/passwd");
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), $"{op} {path}: {body}");
            Assert.That(body, Is.EqualTo($"path: {path} {why}"), $"{op} {path}");
        }
    }

    private const string Escapes = "escapes the allocation directory";

    [Test]
    public async Task Links_that_lead_outside_are_refused_for_ls_stat_cat_and_readat()
    {
        var d = Folder("attack");
        File.CreateSymbolicLink($"{d}/etcdir", "/etc");
        File.CreateSymbolicLink($"{d}/chain", "etcdir/passwd");
        File.CreateSymbolicLink($"{d}/dirchain", "etcdir");
        File.CreateSymbolicLink($"{d}/self-root", "/proc/self/root");
        File.CreateSymbolicLink($"{d}/init-root", "/proc/1/root");
        File.CreateSymbolicLink($"{d}/slash", "/");
        File.CreateSymbolicLink($"{d}/to-alloc-root", "../../..");

        await AssertRefusedAsync("t/local/attack/chain", Escapes, "cat", "readat", "stat");
        await AssertRefusedAsync("t/local/attack/dirchain/passwd", Escapes, "cat", "readat", "stat");
        await AssertRefusedAsync("/t/local/attack/dirchain", Escapes, "ls");
        foreach (var l in new[] { "self-root", "init-root", "slash" })
        {
            await AssertRefusedAsync($"t/local/attack/{l}/etc/passwd", Escapes, "cat", "readat", "stat");
            await AssertRefusedAsync($"t/local/attack/{l}/etc", Escapes, "ls");
        }
        // '..' after a link climbs from the link's target: here out of the allocation, to the agent's data dir.
        Assert.That(File.Exists(InAlloc("../../agent.hcl")), "the data dir's agent.hcl");
        await AssertRefusedAsync("t/local/attack/to-alloc-root/../../agent.hcl", Escapes, "cat", "readat", "stat");
        await AssertRefusedAsync("t/local/attack/to-alloc-root/..", Escapes, "ls");
    }

    [Test]
    public async Task A_link_loop_is_a_clean_bad_request()
    {
        var d = Folder("loop");
        File.CreateSymbolicLink($"{d}/a", "b");
        File.CreateSymbolicLink($"{d}/b", "a");
        const string why = "cannot be resolved: too many levels of symbolic links, or a link into /proc";
        await AssertRefusedAsync("t/local/loop/a", why, "cat", "readat", "stat");
        await AssertRefusedAsync("t/local/loop/b", why, "ls");
    }

    [Test]
    public async Task A_NUL_byte_in_the_path_is_a_bad_request()
    {
        foreach (var op in new[] { "ls", "stat", "cat", "readat" })
        {
            var (status, body) = await GetAsync(op, "t/local/a\0b");
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), op);
            Assert.That(body, Is.EqualTo("path: must not contain a NUL byte"), op);
        }
    }

    [Test]
    public async Task A_log_file_planted_as_a_link_outside_is_refused()
    {
        var d = Folder("logattack");
        File.CreateSymbolicLink($"{d}/etcdir", "/etc");
        File.CreateSymbolicLink(InAlloc("alloc/logs/t.stderr.7"), "../../t/local/logattack/etcdir/passwd");
        try
        {
            using var r = await _agent.Http.GetAsync(Url("logs", "task=t&type=stderr&plain=true"));
            var body = await r.Content.ReadAsStringAsync();
            Assert.That(body, Does.Not.Contain("root:"));
            Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), body);
            Assert.That(body, Is.EqualTo($"path: alloc/logs/t.stderr.7 {Escapes}"));
        }
        finally { File.Delete(InAlloc("alloc/logs/t.stderr.7")); }
    }

    /// <summary>
    /// A FIFO, a UNIX socket and (as root) a device node a task made: stat and ls describe them, cat and readat
    /// refuse them with a 400, and none of it hangs or fails with a 500 (a socket opened for reading gives ENXIO).
    /// </summary>
    [Test]
    public async Task Fifos_sockets_and_devices_are_described_but_never_read()
    {
        var d = Folder("special");
        Assert.That(mkfifo($"{d}/fifo", 0x1a4), Is.Zero);
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint($"{d}/sock"));
        var expected = new Dictionary<string, string> { ["fifo"] = "p", ["sock"] = "S" };
        if (geteuid() == 0)
        {
            using var mknod = System.Diagnostics.Process.Start("mknod", [$"{d}/null", "c", "1", "3"]);
            await mknod.WaitForExitAsync();
            if (mknod.ExitCode == 0) expected["null"] = "Dc";
        }

        var (lsStatus, lsBody) = await GetAsync("ls", "t/local/special");
        Assert.That(lsStatus, Is.EqualTo(HttpStatusCode.OK), lsBody);
        var listed = JsonDocument.Parse(lsBody).RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("Name").GetString()!, e => e.GetProperty("FileMode").GetString()!);
        foreach (var (name, type) in expected)
        {
            var path = $"t/local/special/{name}";
            Assert.That(listed[name], Does.StartWith(type), $"ls: {name}");
            var (status, body) = await GetAsync("stat", path);
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), $"stat {path}: {body}");
            Assert.That(JsonDocument.Parse(body).RootElement.GetProperty("FileMode").GetString(), Does.StartWith(type), $"stat {path}");
            await AssertRefusedAsync(path, "is not a regular file", "cat", "readat");
        }
        if (!expected.ContainsKey("null")) Assert.Ignore("the device node part needs root and mknod; the FIFO and socket passed");
    }

    [Test]
    public async Task Logs_skip_a_fifo_named_like_a_log_file()
    {
        Assert.That(mkfifo(InAlloc("alloc/logs/t.stderr.5"), 0x1a4), Is.Zero);
        await File.WriteAllTextAsync(InAlloc("alloc/logs/t.stderr.6"), "one\n");
        try
        {
            using var r = await _agent.Http.GetAsync(Url("logs", "task=t&type=stderr&plain=true"));
            var body = await r.Content.ReadAsStringAsync();
            Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
            Assert.That(body, Is.EqualTo("one\n"));
        }
        finally
        {
            File.Delete(InAlloc("alloc/logs/t.stderr.5"));
            File.Delete(InAlloc("alloc/logs/t.stderr.6"));
        }
    }

    [Test]
    public async Task A_task_secret_is_not_read_by_path_or_link_but_is_described()
    {
        await File.WriteAllTextAsync(InAlloc("t/secrets/token"), "SECRET-TOKEN\n");
        var d = Folder("secretlink");
        File.CreateSymbolicLink($"{d}/s", "../../secrets/token");
        foreach (var path in new[] { "t/secrets/token", "t/local/secretlink/s" })
            foreach (var op in new[] { "cat", "readat" })
            {
                var (status, body) = await GetAsync(op, path);
                Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden), $"{op} {path}: {body}");
                Assert.That(body, Is.EqualTo($"Reading secret file prohibited: {path}"), $"{op} {path}");
            }
        var (statStatus, statBody) = await GetAsync("stat", "t/secrets/token");
        Assert.That(statStatus, Is.EqualTo(HttpStatusCode.OK), statBody);
        Assert.That(JsonDocument.Parse(statBody).RootElement.GetProperty("Size").GetInt64(), Is.EqualTo(13));
        var (lsStatus, lsBody) = await GetAsync("ls", "t/secrets");
        Assert.That(lsStatus, Is.EqualTo(HttpStatusCode.OK), lsBody);
        Assert.That(lsBody, Does.Contain("\"token\""));
    }

    [Test]
    public async Task Files_nested_directories_and_links_inside_the_allocation_still_work()
    {
        var d = Folder("legit");
        Directory.CreateDirectory($"{d}/a/b");
        await File.WriteAllTextAsync($"{d}/a/b/deep.txt", "deep content\n");
        await File.WriteAllTextAsync(InAlloc("alloc/data/shared.txt"), "shared\n");
        File.CreateSymbolicLink($"{d}/to-b", "a/b");
        File.CreateSymbolicLink($"{d}/to-deep", "to-b/deep.txt");
        File.CreateSymbolicLink($"{d}/to-shared", "../../../alloc/data/shared.txt");

        Assert.That((await GetAsync("cat", "t/local/legit/a/b/deep.txt")).Body, Is.EqualTo("deep content\n"));
        Assert.That((await GetAsync("cat", "/t/local/legit/to-deep")).Body, Is.EqualTo("deep content\n"));
        Assert.That((await GetAsync("cat", "t/local/legit/to-shared")).Body, Is.EqualTo("shared\n"));
        Assert.That((await GetAsync("cat", "t/local/legit/to-b/../b/deep.txt")).Body, Is.EqualTo("deep content\n"), "'..' after a link climbs from its target (a/b), as the kernel does");
        Assert.That((await GetAsync("readat", "t/local/legit/to-deep", "&offset=5&limit=7")).Body, Is.EqualTo("content"));

        var ls = JsonDocument.Parse((await GetAsync("ls", "t/local/legit")).Body).RootElement.EnumerateArray().ToList();
        Assert.That(ls.Select(e => e.GetProperty("Name").GetString()), Is.EqualTo(new[] { "a", "to-b", "to-deep", "to-shared" }));
        Assert.That(ls.Select(e => e.GetProperty("FileMode").GetString()![0]), Is.EqualTo(new[] { 'd', 'L', 'L', 'L' }));
        var inB = JsonDocument.Parse((await GetAsync("ls", "t/local/legit/to-b")).Body).RootElement.EnumerateArray().Single();
        Assert.That(inB.GetProperty("Name").GetString(), Is.EqualTo("deep.txt"));
        Assert.That(inB.GetProperty("Size").GetInt64(), Is.EqualTo(13));

        var stat = JsonDocument.Parse((await GetAsync("stat", "t/local/legit/to-deep")).Body).RootElement;
        Assert.That(stat.GetProperty("Name").GetString(), Is.EqualTo("to-deep"));
        Assert.That(stat.GetProperty("Size").GetInt64(), Is.EqualTo(13));
        Assert.That(stat.GetProperty("IsDir").GetBoolean(), Is.False);
        Assert.That(stat.GetProperty("ContentType").GetString(), Does.StartWith("text/plain"));
        Assert.That(JsonDocument.Parse((await GetAsync("stat", "t/local/legit/to-b")).Body).RootElement.GetProperty("IsDir").GetBoolean(), Is.True);

        Assert.That(await _agent.Http.GetStringAsync(Url("logs", "task=t&type=stdout&plain=true")), Is.EqualTo("started\n"));
        Assert.That(await _agent.Http.GetStringAsync(Url("logs", "task=t&type=stdout&plain=true&origin=end&offset=3")), Is.EqualTo("ed\n"));
    }

    [Test]
    public async Task A_link_swapped_to_a_host_directory_while_requests_run_never_leaks_it()
    {
        var d = Folder("race");
        Directory.CreateDirectory($"{d}/inside");
        const string harmless = "harmless\n";
        await File.WriteAllTextAsync($"{d}/inside/passwd", harmless);
        File.CreateSymbolicLink($"{d}/sw", "inside");
        using var stop = new CancellationTokenSource();
        var swaps = 0;
        Exception? swapError = null;
        var swapper = new Thread(() =>
        {
            try
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    // A new link renamed over the old one: the name always exists, its target flips.
                    var tmp = $"{d}/sw.{i}";
                    File.CreateSymbolicLink(tmp, i % 2 == 0 ? "/etc" : "inside");
                    if (rename(tmp, $"{d}/sw") != 0) throw new IOException($"rename: errno {Marshal.GetLastPInvokeError()}");
                    Interlocked.Increment(ref swaps);
                }
            }
            catch (Exception e) { swapError = e; }
        }) { IsBackground = true };
        swapper.Start();
        int inside = 0, refused = 0;
        try
        {
            for (var i = 0; i < 1200; i++)
            {
                var op = new[] { "cat", "readat", "stat", "ls" }[i % 4];
                var (status, body) = await GetAsync(op, op == "ls" ? "t/local/race/sw" : "t/local/race/sw/passwd");
                Assert.That(body, Does.Not.Contain("root:"), $"{op} returned the host's /etc/passwd");
                if (status == HttpStatusCode.BadRequest)
                {
                    Assert.That(body, Does.EndWith(Escapes), op);
                    refused++;
                    continue;
                }
                Assert.That(status, Is.EqualTo(HttpStatusCode.OK), $"{op}: {body}");
                switch (op)
                {
                    case "cat" or "readat": Assert.That(body, Is.EqualTo(harmless), op); break;
                    case "stat": Assert.That(JsonDocument.Parse(body).RootElement.GetProperty("Size").GetInt64(), Is.EqualTo(harmless.Length), "stat of the host's passwd"); break;
                    default:
                        Assert.That(JsonDocument.Parse(body).RootElement.EnumerateArray().Select(e => e.GetProperty("Name").GetString()),
                            Is.EqualTo(new[] { "passwd" }), "ls of the host's /etc");
                        break;
                }
                inside++;
            }
        }
        finally
        {
            stop.Cancel();
            swapper.Join();
        }
        Assert.That(swapError, Is.Null);
        Assert.That(swaps, Is.GreaterThan(100), "the link flipped while the requests ran");
        Assert.That(inside, Is.GreaterThan(0), "requests that went through the inside target");
        Assert.That(refused, Is.GreaterThan(0), "requests that went through /etc");
    }
}
