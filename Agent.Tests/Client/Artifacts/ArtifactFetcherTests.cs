using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nomad.Agent.Client.Allocs;
using Nomad.Agent.Client.Artifacts;
using Nomad.Agent.Logging;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Client.Artifacts;

/// <summary>
/// Fetching artifacts into a real allocation directory from a real HTTP server on 127.0.0.1 and from local files:
/// where they land, what fails and with which reason, and that a failure leaves nothing behind.
/// </summary>
public sealed class ArtifactFetcherTests
{
    private string _tmp = "", _outside = "", _serverFiles = "";
    private AllocDir _dir = null!;
    private WebApplication? _server;
    private string _base = "";
    private TaskCompletionSource _releaseSlow = new();

    [SetUp]
    public async Task SetUp()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("the client's artifact sandboxing is written for Linux");
        _tmp = Directory.CreateTempSubdirectory("artifact-fetch-").FullName;
        _outside = Directory.CreateDirectory(Path.Combine(_tmp, "outside")).FullName;
        _serverFiles = Directory.CreateDirectory(Path.Combine(_tmp, "served")).FullName;
        _releaseSlow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _dir = new AllocDir(Path.Combine(_tmp, "allocs"), "alloc-1");
        _dir.Build();
        _dir.BuildTask("t");

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        _server = builder.Build();
        var release = _releaseSlow.Task;
        _server.MapGet("/slow", async (HttpContext ctx) =>
        {
            await ctx.Response.Body.WriteAsync(new byte[10]);
            await ctx.Response.Body.FlushAsync();
            await release;
        });
        _server.MapGet("/private/{name}", (string name, HttpContext ctx) =>
            ctx.Request.Headers["X-Token"] == "secret-t" ? Serve(name) : Results.StatusCode(403));
        _server.MapGet("/{name}", (string name) => Serve(name));
        await _server.StartAsync();
        _base = _server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    private IResult Serve(string name)
    {
        string path = Path.Combine(_serverFiles, name);
        return File.Exists(path) ? Results.File(path, "application/octet-stream") : Results.NotFound();
    }

    [TearDown]
    public async Task TearDown()
    {
        _releaseSlow.TrySetResult();
        if (_server is not null) await _server.DisposeAsync();
        if (_tmp.Length > 0) Directory.Delete(_tmp, recursive: true);
    }

    private string TaskDir => _dir.TaskDir("t");
    private string Local(string rel = "") => Path.Combine(_dir.TaskLocalDir("t"), rel);

    private ArtifactTask Task => new()
    {
        AllocDir = _dir.Root,
        TaskDir = TaskDir,
        SharedDir = _dir.SharedDir,
        // As for an isolated driver: the task sees /local, the client the host path.
        Interpolate = s => s.Replace("${NOMAD_TASK_DIR}", "/local").Replace("${TOKEN}", "secret-t"),
        InterpolateClientPath = s => s.Replace("${NOMAD_TASK_DIR}", _dir.TaskLocalDir("t")),
    };

    private static ArtifactFetcher Fetcher(ArtifactOptions? options = null) => new(options ?? new ArtifactOptions(), Logger.Null);

    private async Task FetchAsync(TaskArtifact a, ArtifactOptions? options = null)
    {
        using var f = Fetcher(options);
        await f.FetchAsync(a, Task, CancellationToken.None);
    }

    private async Task<string> FailAsync(TaskArtifact a, ArtifactOptions? options = null)
    {
        var e = await Assert.ThrowsAsync<ArtifactException>(() => FetchAsync(a, options));
        AssertNoStagingLeft();
        return e!.Message;
    }

    private void AssertNoStagingLeft()
    {
        Assert.That(Directory.EnumerateFileSystemEntries(TaskDir).Select(Path.GetFileName), Has.None.StartsWith(".artifact-"));
        Assert.That(Directory.EnumerateFileSystemEntries(_outside), Is.Empty, "nothing lands outside");
    }

    private string ServeTarGz(string name, params Entry[] entries)
    {
        TestArchives.Tar(Path.Combine(_serverFiles, name), "tar.gz", entries);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(_serverFiles, name))));
    }

    [Test]
    public async Task A_tar_gz_with_a_good_checksum_and_headers_is_unpacked_into_the_destination()
    {
        string sum = ServeTarGz("app.tar.gz", Entry.File("bin/app", "v1\n", (UnixFileMode)0x1ED), Entry.File("README", "read me\n"));
        await FetchAsync(new TaskArtifact
        {
            GetterSource = $"{_base}/private/app.tar.gz",
            GetterOptions = new() { ["checksum"] = sum },
            GetterHeaders = new() { ["X-Token"] = "${TOKEN}" },
            RelativeDest = "${NOMAD_TASK_DIR}/app",
        });
        Assert.That(File.ReadAllText(Local("app/bin/app")), Is.EqualTo("v1\n"));
        Assert.That(File.ReadAllText(Local("app/README")), Is.EqualTo("read me\n"));
        AssertNoStagingLeft();
    }

    [Test]
    public async Task A_plain_file_lands_under_its_name_in_mode_any_and_at_the_destination_in_mode_file()
    {
        File.WriteAllText(Path.Combine(_serverFiles, "plain.txt"), "plain\n");
        await FetchAsync(new TaskArtifact { GetterSource = $"{_base}/plain.txt", RelativeDest = "local/" });
        await FetchAsync(new TaskArtifact { GetterSource = $"{_base}/plain.txt", GetterMode = "file", RelativeDest = "local/conf/renamed.txt" });
        Assert.That(File.ReadAllText(Local("plain.txt")), Is.EqualTo("plain\n"));
        Assert.That(File.ReadAllText(Local("conf/renamed.txt")), Is.EqualTo("plain\n"));
    }

    [Test]
    public async Task Archive_false_keeps_an_archive_as_it_is()
    {
        ServeTarGz("keep.tar.gz", Entry.File("x", "x"));
        await FetchAsync(new TaskArtifact { GetterSource = $"{_base}/keep.tar.gz?archive=false", RelativeDest = "local/" });
        Assert.That(File.ReadAllBytes(Local("keep.tar.gz")), Is.EqualTo(File.ReadAllBytes(Path.Combine(_serverFiles, "keep.tar.gz"))));
    }

    [Test]
    public async Task A_bad_checksum_fails_and_leaves_nothing()
    {
        ServeTarGz("app.tar.gz", Entry.File("bin/app", "v1\n"));
        string message = await FailAsync(new TaskArtifact { GetterSource = $"{_base}/app.tar.gz?checksum=sha256:{new string('0', 64)}", RelativeDest = "local/" });
        Assert.That(message, Does.StartWith("Checksums did not match for app.tar.gz. Expected: 0000"));
        Assert.That(Directory.EnumerateFileSystemEntries(Local()), Is.Empty);
    }

    [Test]
    public async Task A_404_fails_with_the_response_code()
    {
        Assert.That(await FailAsync(new TaskArtifact { GetterSource = $"{_base}/missing.tar.gz", RelativeDest = "local/" }), Is.EqualTo("bad response code: 404"));
        Assert.That(await FailAsync(new TaskArtifact { GetterSource = $"{_base}/private/app.tar.gz", RelativeDest = "local/" }), Is.EqualTo("bad response code: 403"));
    }

    [Test]
    public async Task A_download_is_bounded_in_size_and_in_time()
    {
        File.WriteAllBytes(Path.Combine(_serverFiles, "big.bin"), new byte[5000]);
        Assert.That(await FailAsync(new TaskArtifact { GetterSource = $"{_base}/big.bin", RelativeDest = "local/" }, new ArtifactOptions { HttpMaxBytes = 1000 }),
            Is.EqualTo("artifact is larger than http_max_size (1000 bytes)"));
        // The server sends 10 bytes and then nothing: only the deadline ends the download.
        Assert.That(await FailAsync(new TaskArtifact { GetterSource = $"{_base}/slow", RelativeDest = "local/" }, new ArtifactOptions { HttpReadTimeout = TimeSpan.FromMilliseconds(300) }),
            Is.EqualTo("download did not complete within http_read_timeout (300ms)"));
    }

    [Test]
    public async Task A_traversal_archive_fails_and_leaves_nothing_outside()
    {
        string sum = ServeTarGz("evil.tar.gz", Entry.File("fine.txt", "ok"), Entry.File("../../../../outside/evil", "x"));
        string message = await FailAsync(new TaskArtifact { GetterSource = $"{_base}/evil.tar.gz", GetterOptions = new() { ["checksum"] = sum }, RelativeDest = "local/" });
        Assert.That(message, Is.EqualTo("entry contains '..': ../../../../outside/evil"));
        Assert.That(Directory.EnumerateFileSystemEntries(Local()), Is.Empty, "not even the good entry is moved in");
    }

    [Test]
    public async Task A_destination_outside_the_allocation_is_refused_and_absolute_ones_are_joined_to_the_task_dir()
    {
        File.WriteAllText(Path.Combine(_serverFiles, "plain.txt"), "plain\n");
        Assert.That(await FailAsync(new TaskArtifact { GetterSource = $"{_base}/plain.txt", RelativeDest = "../../../outside" }),
            Is.EqualTo("artifact destination path escapes alloc directory"));
        await FetchAsync(new TaskArtifact { GetterSource = $"{_base}/plain.txt", RelativeDest = "/etc" });
        Assert.That(File.ReadAllText(Path.Combine(TaskDir, "etc", "plain.txt")), Is.EqualTo("plain\n"));
        await FetchAsync(new TaskArtifact { GetterSource = $"{_base}/plain.txt", RelativeDest = "../alloc/data" });
        Assert.That(File.ReadAllText(Path.Combine(_dir.SharedDir, "data", "plain.txt")), Is.EqualTo("plain\n"));
    }

    [Test]
    public async Task A_link_the_task_left_in_its_directory_does_not_carry_the_artifact_out()
    {
        File.WriteAllText(Path.Combine(_serverFiles, "plain.txt"), "plain\n");
        File.CreateSymbolicLink(Local("link"), _outside);
        string message = await FailAsync(new TaskArtifact { GetterSource = $"{_base}/plain.txt", RelativeDest = "local/link/deeper" });
        Assert.That(message, Is.EqualTo("path to the artifact destination goes through the symlink local/link"));
        // A file of the same name as the link replaces the link, never writes through it.
        await FetchAsync(new TaskArtifact { GetterSource = $"{_base}/plain.txt", GetterMode = "file", RelativeDest = "local/link" });
        Assert.That(new FileInfo(Local("link")).LinkTarget, Is.Null);
        AssertNoStagingLeft();
    }

    [Test]
    public async Task Local_sources_are_read_only_inside_the_allocation_unless_the_client_allows_more()
    {
        string inside = Path.Combine(_dir.SharedDir, "data", "in.txt"), outsideFile = Path.Combine(_tmp, "host.txt");
        File.WriteAllText(inside, "inside\n");
        File.WriteAllText(outsideFile, "host\n");
        await FetchAsync(new TaskArtifact { GetterSource = "../alloc/data/in.txt", RelativeDest = "local/" });
        Assert.That(File.ReadAllText(Local("in.txt")), Is.EqualTo("inside\n"));

        var a = new TaskArtifact { GetterSource = "file://" + outsideFile, RelativeDest = "local/" };
        Assert.That(await FailAsync(a), Does.StartWith($"source \"{outsideFile}\" is outside the allocation directory"));
        // A link inside the allocation to a host file is no way around it: the source is resolved first.
        File.CreateSymbolicLink(Path.Combine(_dir.SharedDir, "data", "sneaky"), outsideFile);
        Assert.That(await FailAsync(new TaskArtifact { GetterSource = "../alloc/data/sneaky", RelativeDest = "local/" }), Does.Contain("is outside the allocation directory"));

        await FetchAsync(a, new ArtifactOptions { FilesystemIsolationExtraPaths = [$"f:r:{outsideFile}"] });
        Assert.That(File.ReadAllText(Local("host.txt")), Is.EqualTo("host\n"));
        File.Delete(Local("host.txt"));
        await FetchAsync(a, new ArtifactOptions { DisableFilesystemIsolation = true });
        Assert.That(File.ReadAllText(Local("host.txt")), Is.EqualTo("host\n"));
    }

    [Test]
    public async Task A_retry_fetches_only_what_failed()
    {
        File.WriteAllText(Path.Combine(_serverFiles, "one.txt"), "1");
        var artifacts = new[]
        {
            new TaskArtifact { GetterSource = $"{_base}/one.txt", RelativeDest = "local/" },
            new TaskArtifact { GetterSource = $"{_base}/two.txt", RelativeDest = "local/" },
        };
        var done = new HashSet<int>();
        using var f = Fetcher();
        var e = await Assert.ThrowsAsync<ArtifactException>(() => f.FetchAllAsync(artifacts, Task, done, CancellationToken.None));
        Assert.That(e!.Message, Is.EqualTo($"failed to download artifact \"{_base}/two.txt\": bad response code: 404"));
        Assert.That(done, Is.EquivalentTo(new[] { 0 }));
        File.Delete(Path.Combine(_serverFiles, "one.txt"));
        File.WriteAllText(Path.Combine(_serverFiles, "two.txt"), "2");
        await f.FetchAllAsync(artifacts, Task, done, CancellationToken.None);
        Assert.That(done, Is.EquivalentTo(new[] { 0, 1 }));
        Assert.That(File.ReadAllText(Local("two.txt")), Is.EqualTo("2"));
    }
}
