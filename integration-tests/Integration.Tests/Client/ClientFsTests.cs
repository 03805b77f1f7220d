using System.Net;
using System.Text;
using System.Text.Json;
using Nomad.Agent.Structs;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests.Client;

/// <summary>/v1/client/fs/* and allocation stats against a real agent running a real raw_exec task.</summary>
[TestFixture]
public sealed class ClientFsTests
{
    private string _dir = "";
    private ClientAgent _agent = null!;

    [SetUp]
    public async Task SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("nomad-it-clientfs-").FullName;
        _agent = await ClientAgent.StartAsync(Path.Combine(_dir, "data"));
    }

    [TearDown]
    public async Task TearDown()
    {
        await _agent.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>A service task that prints a line, then one more line each time a file appears in its alloc dir.</summary>
    private async Task<Allocation> StartTalkerAsync()
    {
        var job = ClientAgent.Job("""
            job "talker" {
              datacenters = ["dc1"]
              group "g" {
                task "t" {
                  driver = "raw_exec"
                  config {
                    command = "/bin/sh"
                    args    = ["-c", "echo first; echo to-stderr >&2; echo hello > ${NOMAD_TASK_DIR}/greeting.txt; n=0; while true; do if [ -f ${NOMAD_ALLOC_DIR}/tmp/go$n ]; then echo line$n; n=$((n+1)); fi; sleep 0.05; done"]
                  }
                }
              }
            }
            """);
        var alloc = await _agent.PlaceAsync(job, "g");
        await _agent.WaitForStatusAsync(alloc.ID, AllocClientStatus.Running);
        await Eventually.WaitAsync(() => File.Exists(Path.Combine(_agent.AllocDir(alloc.ID), "t/local/greeting.txt")), TimeSpan.FromSeconds(30), "the task to write its file");
        return alloc;
    }

    private void Go(Allocation alloc, int n) => File.WriteAllText(Path.Combine(_agent.AllocDir(alloc.ID), "alloc/tmp", $"go{n}"), "");

    [Test]
    public async Task Logs_plain_and_framed_from_start_and_end()
    {
        var alloc = await StartTalkerAsync();
        var url = $"/v1/client/fs/logs/{alloc.ID}?task=t&type=stdout";
        await Eventually.WaitAsync(async () => await _agent.Http.GetStringAsync(url + "&plain=true") == "first\n", TimeSpan.FromSeconds(30), "stdout to hold the first line");
        Assert.That(await _agent.Http.GetStringAsync($"/v1/client/fs/logs/{alloc.ID}?task=t&type=stderr&plain=true"), Is.EqualTo("to-stderr\n"));
        Assert.That(await _agent.Http.GetStringAsync(url + "&plain=true&origin=end&offset=3"), Is.EqualTo("st\n"));
        Assert.That(await _agent.Http.GetStringAsync(url + "&plain=true&offset=2"), Is.EqualTo("rst\n"));

        var framed = await _agent.Http.GetStringAsync(url);
        var frames = framed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.That(frames, Has.Count.EqualTo(1));
        Assert.That(Encoding.UTF8.GetString(Convert.FromBase64String(frames[0].GetProperty("Data").GetString()!)), Is.EqualTo("first\n"));
        Assert.That(frames[0].GetProperty("File").GetString(), Is.EqualTo("alloc/logs/t.stdout.0"));
        Assert.That(frames[0].GetProperty("Offset").GetInt64(), Is.EqualTo(6));
    }

    [Test]
    public async Task Following_logs_returns_lines_as_they_are_written()
    {
        var alloc = await StartTalkerAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var resp = await _agent.Http.GetAsync($"/v1/client/fs/logs/{alloc.ID}?task=t&type=stdout&plain=true&follow=true", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.That(resp.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var reader = new StreamReader(await resp.Content.ReadAsStreamAsync(cts.Token));
        Assert.That(await reader.ReadLineAsync(cts.Token), Is.EqualTo("first"));
        for (var i = 0; i < 3; i++)
        {
            Go(alloc, i);
            Assert.That(await reader.ReadLineAsync(cts.Token), Is.EqualTo($"line{i}"), "a line written after the request began");
        }
    }

    [Test]
    public async Task Following_a_silent_log_answers_with_its_headers_before_any_line()
    {
        var alloc = await StartTalkerAsync();
        await Eventually.WaitAsync(async () => await _agent.Http.GetStringAsync($"/v1/client/fs/logs/{alloc.ID}?task=t&type=stdout&plain=true") == "first\n", TimeSpan.FromSeconds(30), "stdout to hold the first line");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        // From the end, nothing is logged until the test says so: the headers must not wait for it.
        var url = $"/v1/client/fs/logs/{alloc.ID}?task=t&type=stdout&plain=true&follow=true&origin=end&offset=0";
        using var resp = await _agent.Http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cts.Token).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(resp.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var reader = new StreamReader(await resp.Content.ReadAsStreamAsync(cts.Token));
        Go(alloc, 0);
        Assert.That(await reader.ReadLineAsync(cts.Token), Is.EqualTo("line0"));
    }

    [Test]
    public async Task Logs_reject_bad_parameters()
    {
        var alloc = await StartTalkerAsync();
        async Task Expect(string query, HttpStatusCode code, string text)
        {
            using var r = await _agent.Http.GetAsync($"/v1/client/fs/logs/{query}");
            Assert.That(r.StatusCode, Is.EqualTo(code), query);
            Assert.That(await r.Content.ReadAsStringAsync(), Is.EqualTo(text), query);
        }
        await Expect($"{alloc.ID}?type=stdout", HttpStatusCode.BadRequest, "must provide task name");
        await Expect($"{alloc.ID}?task=t&type=stdin", HttpStatusCode.BadRequest, "log type must be \"stdout\" or \"stderr\"");
        await Expect($"{alloc.ID}?task=t&type=stdout&origin=middle", HttpStatusCode.BadRequest, "origin must be start or end");
        await Expect($"{alloc.ID}?task=nope&type=stdout", HttpStatusCode.BadRequest, "unknown task name \"nope\"");
        var unknown = Guid.NewGuid().ToString();
        await Expect($"{unknown}?task=t&type=stdout", HttpStatusCode.NotFound, $"Unknown allocation \"{unknown}\"");
    }

    [Test]
    public async Task Streaming_a_file_follows_it_reports_a_truncation_and_ends_when_it_is_deleted()
    {
        var alloc = await StartTalkerAsync();
        var file = Path.Combine(_agent.AllocDir(alloc.ID), "alloc/data/f.txt");
        await File.WriteAllTextAsync(file, "one\n");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var resp = await _agent.Http.GetAsync($"/v1/client/fs/stream/{alloc.ID}?path=alloc/data/f.txt", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.That(resp.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var reader = new StreamReader(await resp.Content.ReadAsStreamAsync(cts.Token));
        async Task<JsonElement> NextFrameAsync()
        {
            while (true)
            {
                var line = await reader.ReadLineAsync(cts.Token);
                Assert.That(line, Is.Not.Null, "the stream ended early");
                var frame = JsonDocument.Parse(line!).RootElement;
                if (frame.EnumerateObject().Any()) return frame; // {} is a heartbeat
            }
        }
        string Data(JsonElement f) => Encoding.UTF8.GetString(Convert.FromBase64String(f.GetProperty("Data").GetString()!));

        var first = await NextFrameAsync();
        Assert.That((Data(first), first.GetProperty("File").GetString(), first.GetProperty("Offset").GetInt64()), Is.EqualTo(("one\n", "alloc/data/f.txt", 4L)));
        await File.AppendAllTextAsync(file, "two\n");
        Assert.That(Data(await NextFrameAsync()), Is.EqualTo("two\n"), "bytes appended after the request began");

        await File.WriteAllTextAsync(file, "");
        Assert.That((await NextFrameAsync()).GetProperty("FileEvent").GetString(), Is.EqualTo("file truncated"));
        await File.WriteAllTextAsync(file, "3\n");
        Assert.That(Data(await NextFrameAsync()), Is.EqualTo("3\n"), "after a truncation the stream starts over");

        File.Delete(file);
        Assert.That((await NextFrameAsync()).GetProperty("FileEvent").GetString(), Is.EqualTo("file deleted"));
        Assert.That(await reader.ReadLineAsync(cts.Token), Is.Null, "a deleted file ends the stream");
    }

    [Test]
    public async Task Streaming_without_follow_ends_at_the_end_and_bad_parameters_are_refused()
    {
        var alloc = await StartTalkerAsync();
        await File.WriteAllTextAsync(Path.Combine(_agent.AllocDir(alloc.ID), "alloc/data/g.txt"), "abcdef");
        var body = await _agent.Http.GetStringAsync($"/v1/client/fs/stream/{alloc.ID}?path=alloc/data/g.txt&follow=false&origin=end&offset=2");
        var frame = JsonDocument.Parse(body.Trim()).RootElement;
        Assert.That(Encoding.UTF8.GetString(Convert.FromBase64String(frame.GetProperty("Data").GetString()!)), Is.EqualTo("ef"));

        async Task Expect(string query, string text)
        {
            using var r = await _agent.Http.GetAsync($"/v1/client/fs/stream/{alloc.ID}{query}");
            Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), query);
            Assert.That(await r.Content.ReadAsStringAsync(), Is.EqualTo(text), query);
        }
        await Expect("?follow=false", "must provide a file name");
        await Expect("?path=alloc/data/g.txt&origin=middle", "origin must be start or end");
        await Expect("?path=alloc/data", "path: alloc/data is a directory");
    }

    [Test]
    public async Task Ls_cat_and_stat_stay_inside_the_allocation_directory()
    {
        var alloc = await StartTalkerAsync();
        var root = await _agent.Http.GetStringAsync($"/v1/client/fs/ls/{alloc.ID}?path=/");
        var entries = JsonDocument.Parse(root).RootElement.EnumerateArray().ToList();
        Assert.That(entries.Select(e => e.GetProperty("Name").GetString()), Is.EqualTo(new[] { "alloc", "t" }));
        Assert.That(entries.All(e => e.GetProperty("IsDir").GetBoolean()), Is.True);
        Assert.That(entries[0].GetProperty("FileMode").GetString(), Does.StartWith("d"));

        var local = JsonDocument.Parse(await _agent.Http.GetStringAsync($"/v1/client/fs/ls/{alloc.ID}?path=t/local")).RootElement.EnumerateArray().ToList();
        var greeting = local.Single(e => e.GetProperty("Name").GetString() == "greeting.txt");
        Assert.That(greeting.GetProperty("IsDir").GetBoolean(), Is.False);
        Assert.That(greeting.GetProperty("Size").GetInt64(), Is.EqualTo(6));
        Assert.That(greeting.GetProperty("FileMode").GetString(), Does.Match("^-[rwx-]{9}$"));
        Assert.That(DateTime.Parse(greeting.GetProperty("ModTime").GetString()!).ToUniversalTime(), Is.EqualTo(DateTime.UtcNow).Within(TimeSpan.FromMinutes(2)));

        Assert.That(await _agent.Http.GetStringAsync($"/v1/client/fs/cat/{alloc.ID}?path=t/local/greeting.txt"), Is.EqualTo("hello\n"));
        var stat = JsonDocument.Parse(await _agent.Http.GetStringAsync($"/v1/client/fs/stat/{alloc.ID}?path=/t/local/greeting.txt")).RootElement;
        Assert.That(stat.GetProperty("Name").GetString(), Is.EqualTo("greeting.txt"));
        Assert.That(stat.GetProperty("Size").GetInt64(), Is.EqualTo(6));
        Assert.That(stat.GetProperty("ContentType").GetString(), Does.StartWith("text/plain"));

        foreach (var bad in new[] { "../", "t/../../", "/../../etc/passwd", "alloc/../../../etc" })
        {
            foreach (var op in new[] { "ls", "cat", "stat" })
            {
                using var r = await _agent.Http.GetAsync($"/v1/client/fs/{op}/{alloc.ID}?path={Uri.EscapeDataString(bad)}");
                Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), $"{op} {bad}");
                Assert.That(await r.Content.ReadAsStringAsync(), Does.Contain("escapes the allocation directory"));
            }
        }
        // A symlink inside pointing outside is refused too.
        File.CreateSymbolicLink(Path.Combine(_agent.AllocDir(alloc.ID), "t/local/out"), "/etc");
        using (var r = await _agent.Http.GetAsync($"/v1/client/fs/cat/{alloc.ID}?path=t/local/out/hostname"))
            Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using (var r = await _agent.Http.GetAsync($"/v1/client/fs/cat/{alloc.ID}?path=t/local/missing"))
            Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Allocation_stats_report_the_tasks_usage()
    {
        var alloc = await StartTalkerAsync();
        var stats = JsonDocument.Parse(await _agent.Http.GetStringAsync($"/v1/client/allocation/{alloc.ID}/stats")).RootElement;
        var task = stats.GetProperty("Tasks").GetProperty("t");
        Assert.That(task.GetProperty("ResourceUsage").GetProperty("MemoryStats").GetProperty("RSS").GetUInt64(), Is.GreaterThan(0));
        Assert.That(stats.GetProperty("ResourceUsage").GetProperty("MemoryStats").GetProperty("RSS").GetUInt64(), Is.GreaterThan(0));
        Assert.That(stats.GetProperty("ResourceUsage").GetProperty("CpuStats").TryGetProperty("Percent", out _), Is.True);
        Assert.That(stats.GetProperty("Timestamp").GetInt64(), Is.GreaterThan(UnixNanos.Now() - 60_000_000_000L));
    }
}
