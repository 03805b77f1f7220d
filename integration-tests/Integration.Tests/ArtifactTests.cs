using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests;

/// <summary>
/// Artifacts end to end: a dev agent runs raw_exec batch jobs whose artifacts a local HTTP server in this test
/// serves. A good checksum gives the task its files; a bad checksum, a traversal archive and a 404 fail the task
/// with a "Failed Artifact Download" event naming the reason, and nothing lands outside the task's directory.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
public sealed class ArtifactTests
{
    private AgentProcess _agent = null!;
    private HttpListener _server = null!;
    private readonly Dictionary<string, byte[]> _files = new();
    private string _base = "", _allocRoot = "";
    private readonly string _marker = $"evil-{Guid.NewGuid():N}";

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = new HttpListener();
        var port = FreePorts.Take(1)[0];
        _base = $"http://127.0.0.1:{port}";
        _server.Prefixes.Add(_base + "/");
        _server.Start();
        _ = Task.Run(ServeAsync);

        _files["app.tar.gz"] = TarGz(("bin/hello.txt", "hello from the archive\n"), ("README", "readme\n"));
        _files["plain.txt"] = "plain artifact\n"u8.ToArray();
        _files["evil.tar.gz"] = TarGz(("fine.txt", "fine\n"), ($"../../../../{_marker}", "escaped\n"));

        _agent = AgentProcess.Start(["-dev"]);
        await _agent.WaitForReadyNodeAsync(TimeSpan.FromSeconds(60));
        var prefix = "using alloc directory: alloc_dir=";
        var line = _agent.Lines.First(l => l.Contains(prefix));
        _allocRoot = line[(line.IndexOf(prefix, StringComparison.Ordinal) + prefix.Length)..].Trim();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_agent is not null) await _agent.DisposeAsync();
        _server?.Close();
    }

    private async Task ServeAsync()
    {
        while (_server.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await _server.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            var name = ctx.Request.Url!.AbsolutePath.TrimStart('/');
            if (_files.TryGetValue(name, out var body))
            {
                ctx.Response.ContentLength64 = body.Length;
                await ctx.Response.OutputStream.WriteAsync(body);
            }
            else ctx.Response.StatusCode = 404;
            ctx.Response.Close();
        }
    }

    private static byte[] TarGz(params (string Name, string Content)[] files)
    {
        using var buffer = new MemoryStream();
        using (var gz = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gz, TarEntryFormat.Pax))
            foreach (var (name, content) in files)
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
        return buffer.ToArray();
    }

    private string Sha256(string name) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(_files[name]));

    /// <summary>A batch job of one raw_exec task with these artifacts; no restarts or reschedules, so a failure is final.</summary>
    private static string Job(string id, string script, JsonArray artifacts) => new JsonObject
    {
        ["Job"] = new JsonObject
        {
            ["ID"] = id, ["Name"] = id, ["Type"] = "batch", ["Datacenters"] = new JsonArray("dc1"),
            ["TaskGroups"] = new JsonArray(new JsonObject
            {
                ["Name"] = "g", ["Count"] = 1,
                ["RestartPolicy"] = new JsonObject { ["Attempts"] = 0, ["Mode"] = "fail", ["Interval"] = 60_000_000_000L, ["Delay"] = 1_000_000_000L },
                ["ReschedulePolicy"] = new JsonObject { ["Attempts"] = 0, ["Unlimited"] = false },
                ["Tasks"] = new JsonArray(new JsonObject
                {
                    ["Name"] = "t", ["Driver"] = "raw_exec",
                    ["Config"] = new JsonObject { ["command"] = "/bin/sh", ["args"] = new JsonArray("-c", script) },
                    ["Artifacts"] = artifacts,
                    ["Resources"] = new JsonObject { ["CPU"] = 20, ["MemoryMB"] = 16 },
                }),
            }),
        },
    }.ToJsonString();

    private static JsonObject Artifact(string source, string destination, string? checksum = null)
    {
        var a = new JsonObject { ["GetterSource"] = source, ["RelativeDest"] = destination };
        if (checksum is not null) a["GetterOptions"] = new JsonObject { ["checksum"] = checksum };
        return a;
    }

    /// <summary>Registers the job and waits until its allocation is complete or failed; returns the allocation.</summary>
    private async Task<JsonElement> RunAsync(string id, string script, params JsonObject[] artifacts)
    {
        var put = await _agent.Http.PutAsync("/v1/jobs", new StringContent(Job(id, script, new JsonArray(artifacts)), Encoding.UTF8, "application/json"));
        Assert.That(put.IsSuccessStatusCode, Is.True, await put.Content.ReadAsStringAsync());
        return await Eventually.WaitAsync<JsonElement?>(async () =>
        {
            var allocs = await _agent.Http.GetFromJsonAsync<JsonElement>($"/v1/job/{id}/allocations");
            if (allocs.GetArrayLength() == 0) return null;
            var status = allocs[0].GetProperty("ClientStatus").GetString();
            if (status is not ("complete" or "failed")) return null;
            return await _agent.Http.GetFromJsonAsync<JsonElement>($"/v1/allocation/{allocs[0].GetProperty("ID").GetString()}");
        }, TimeSpan.FromSeconds(90), $"job {id}'s allocation to finish\n{_agent.Output}") ?? default;
    }

    private static List<(string Type, string Message)> Events(JsonElement alloc) =>
        alloc.GetProperty("TaskStates").GetProperty("t").GetProperty("Events").EnumerateArray()
            .Select(e => (e.GetProperty("Type").GetString()!, e.GetProperty("DisplayMessage").GetString()!)).ToList();

    private string TaskDir(JsonElement alloc) => Path.Combine(_allocRoot, alloc.GetProperty("ID").GetString()!, "t");

    [Test]
    public async Task With_good_checksums_the_task_sees_the_unpacked_archive_and_the_plain_file()
    {
        var alloc = await RunAsync("art-good", "cat \"$NOMAD_TASK_DIR/app/bin/hello.txt\" \"$NOMAD_TASK_DIR/plain.txt\"",
            Artifact($"{_base}/app.tar.gz", "local/app", Sha256("app.tar.gz")),
            Artifact($"{_base}/plain.txt?checksum={Sha256("plain.txt")}", "local/"));
        var events = Events(alloc);
        Assert.That(alloc.GetProperty("ClientStatus").GetString(), Is.EqualTo("complete"), string.Join("\n", events));
        Assert.That(events.Select(e => e.Type).Take(5), Is.EqualTo(new[] { "Received", "Task Setup", "Downloading Artifacts", "Started", "Terminated" }));
        Assert.That(events[2].Message, Is.EqualTo("Client is downloading artifacts"));
        var stdout = await _agent.Http.GetStringAsync($"/v1/client/fs/cat/{alloc.GetProperty("ID").GetString()}?path=alloc/logs/t.stdout.0");
        Assert.That(stdout, Is.EqualTo("hello from the archive\nplain artifact\n"));
    }

    private async Task<string> FailedDownloadAsync(string id, JsonObject artifact)
    {
        var alloc = await RunAsync(id, "echo should-not-run", artifact);
        var events = Events(alloc);
        Assert.That(alloc.GetProperty("ClientStatus").GetString(), Is.EqualTo("failed"), string.Join("\n", events));
        Assert.That(events.Select(e => e.Type), Is.EqualTo(new[] { "Received", "Task Setup", "Downloading Artifacts", "Failed Artifact Download", "Not Restarting" }));
        var state = alloc.GetProperty("TaskStates").GetProperty("t");
        Assert.That((state.GetProperty("State").GetString(), state.GetProperty("Failed").GetBoolean()), Is.EqualTo(("dead", true)));
        var failed = alloc.GetProperty("TaskStates").GetProperty("t").GetProperty("Events")[3];
        Assert.That(failed.GetProperty("DownloadError").GetString(), Is.EqualTo(events[3].Message));
        Assert.That(Directory.EnumerateFileSystemEntries(Path.Combine(TaskDir(alloc), "local")), Is.Empty, "nothing fetched into the task dir");
        Assert.That(Directory.EnumerateFileSystemEntries(TaskDir(alloc)).Select(Path.GetFileName), Has.None.StartsWith(".artifact-"), "no staging left");
        return events[3].Message;
    }

    [Test]
    public async Task A_bad_checksum_fails_the_task_naming_the_mismatch()
    {
        var message = await FailedDownloadAsync("art-badsum", Artifact($"{_base}/app.tar.gz", "local/", "sha256:" + new string('0', 64)));
        Assert.That(message, Does.StartWith($"failed to download artifact \"{_base}/app.tar.gz\": Checksums did not match for app.tar.gz. Expected: {new string('0', 64)} Got: {Sha256("app.tar.gz")[7..]}"));
    }

    [Test]
    public async Task A_traversal_archive_fails_the_task_and_nothing_lands_outside()
    {
        var message = await FailedDownloadAsync("art-evil", Artifact($"{_base}/evil.tar.gz", "local/"));
        Assert.That(message, Is.EqualTo($"failed to download artifact \"{_base}/evil.tar.gz\": entry contains '..': ../../../../{_marker}"));
        // Wherever "../../../../" could have led from the staging dir, the task dir or its local/: nothing is there.
        var alloc = await _agent.Http.GetFromJsonAsync<JsonElement>("/v1/job/art-evil/allocations");
        for (var dir = Path.Combine(TaskDir(alloc[0]), "local", "x", "y"); dir != "/"; dir = Path.GetDirectoryName(dir)!)
            Assert.That(File.Exists(Path.Combine(dir, _marker)), Is.False, $"{dir}/{_marker}");
    }

    [Test]
    public async Task A_404_fails_the_task_with_the_response_code()
    {
        var message = await FailedDownloadAsync("art-404", Artifact($"{_base}/missing.tar.gz", "local/"));
        Assert.That(message, Is.EqualTo($"failed to download artifact \"{_base}/missing.tar.gz\": bad response code: 404"));
    }
}
