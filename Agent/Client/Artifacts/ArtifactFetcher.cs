using System.Net;
using System.Runtime.InteropServices;
using Nomad.Agent.Logging;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Client.Artifacts;

/// <summary>
/// Fetches a task's artifacts before it starts (Nomad's artifact hook and getter): each one is downloaded or
/// copied into a staging directory inside the task dir, its checksum verified, unpacked there if it is an archive,
/// checked (<see cref="StagingTree"/>), and only then moved to its destination, so that a failed or hostile
/// artifact leaves nothing behind. Downloads are bounded by the client's <see cref="ArtifactOptions"/>.
/// </summary>
public sealed class ArtifactFetcher : IDisposable
{
    private readonly ArtifactOptions _options;
    private readonly Logger _log;
    private readonly HttpClient _http;

    public ArtifactFetcher(ArtifactOptions options, Logger log)
    {
        _options = options;
        _log = log;
        // No transparent decompression (a .gz artifact must arrive as it is) and no overall client timeout:
        // http_read_timeout bounds each download instead.
        _http = new HttpClient(new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(30),
        })
        { Timeout = Timeout.InfiniteTimeSpan };
    }

    public ArtifactOptions Options => _options;

    /// <summary>
    /// Fetches the artifacts not in <paramref name="done"/> (indexes into <paramref name="artifacts"/>), adding each
    /// one fetched, so that a retry after a failure fetches only what is missing.
    /// </summary>
    /// <exception cref="ArtifactException">Nomad's <c>failed to download artifact "SOURCE": reason</c></exception>
    public async Task FetchAllAsync(IReadOnlyList<TaskArtifact> artifacts, ArtifactTask task, ISet<int> done, CancellationToken ct)
    {
        for (int i = 0; i < artifacts.Count; i++)
        {
            if (done.Contains(i)) continue;
            var a = artifacts[i];
            _log.Debug($"downloading artifact: artifact={a.GetterSource} destination={a.RelativeDest}");
            try { await FetchAsync(a, task, ct).ConfigureAwait(false); }
            catch (ArtifactException e)
            {
                throw new ArtifactException($"failed to download artifact \"{a.GetterSource}\": {e.Message}");
            }
            done.Add(i);
        }
    }

    /// <exception cref="ArtifactException">why the artifact could not be fetched</exception>
    public async Task FetchAsync(TaskArtifact artifact, ArtifactTask task, CancellationToken ct)
    {
        string mode = artifact.GetterMode is "" ? "any" : artifact.GetterMode;
        if (mode is not ("any" or "file" or "dir"))
            throw new ArtifactException($"invalid artifact mode \"{mode}\"; must be one of: any, file, dir");
        var options = (artifact.GetterOptions ?? []).ToDictionary(kv => kv.Key, kv => task.Interpolate(kv.Value));
        var source = ArtifactSource.Parse(task.Interpolate(artifact.GetterSource), options, task.TaskDir);
        var (destination, destinationRoot) = Destination(artifact, task);

        string staging = Path.Combine(task.TaskDir, $".artifact-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            string download = Path.Combine(staging, "download"), tree = Path.Combine(staging, "tree");
            bool sourceIsDir = false;
            if (source.Url is { } url) await DownloadAsync(url, Headers(artifact, task), download, ct).ConfigureAwait(false);
            else sourceIsDir = CopyLocal(source.LocalPath!, task, download, tree);

            if (sourceIsDir)
            {
                if (mode == "file") throw new ArtifactException("source is a directory, but mode is \"file\"");
                if (source.Checksum is not null) throw new ArtifactException("a checksum can only be verified on a file, and the source is a directory");
                MergeInto(tree, destination, destinationRoot);
                return;
            }
            source.Checksum?.Verify(download, source.FileName);
            if (source.Archive is { } type)
            {
                var budget = ExtractionBudget.For(_options);
                if (mode == "file")
                {
                    string file = Path.Combine(staging, "file");
                    ArchiveExtractor.ExtractFile(download, type, file, budget, source.FileName);
                    PlaceFile(file, destination, destinationRoot);
                }
                else
                {
                    Directory.CreateDirectory(tree);
                    ArchiveExtractor.ExtractTree(download, type, tree, budget);
                    MergeInto(tree, destination, destinationRoot);
                }
            }
            else if (mode == "file") PlaceFile(download, destination, destinationRoot);
            else if (mode == "any")
            {
                if (source.FileName.Length == 0) throw new ArtifactException("the source names no file; set mode = \"file\" and a destination file");
                PlaceFile(download, Path.Combine(destination, source.FileName), destinationRoot);
            }
            else throw new ArtifactException("mode \"dir\" needs an archive or a directory as its source");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArtifactException(e.Message);
        }
        finally
        {
            try { Directory.Delete(staging, recursive: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _log.Warn($"failed to remove artifact staging directory: path={staging} error=\"{e.Message}\"");
            }
        }
    }

    /// <summary>
    /// The destination as a host path (Nomad's ClientPath): relative ones, and absolute ones outside the task and
    /// shared directories, are joined to the task dir; the result must lie within one of those two.
    /// </summary>
    private static (string Path, string Root) Destination(TaskArtifact artifact, ArtifactTask task)
    {
        string raw = task.InterpolateClientPath(artifact.RelativeDest);
        string taskDir = Path.GetFullPath(task.TaskDir), shared = Path.GetFullPath(task.SharedDir);
        string? RootOf(string p) => Within(taskDir, p) ? taskDir : Within(shared, p) ? shared : null;
        string path = Path.IsPathRooted(raw) ? Path.GetFullPath(raw) : "";
        if (path.Length == 0 || RootOf(path) is null) path = Path.GetFullPath(Path.Combine(taskDir, raw.TrimStart('/')));
        return RootOf(path) is { } root ? (path, root) : throw new ArtifactException("artifact destination path escapes alloc directory");
    }

    private static bool Within(string root, string path) =>
        path == root || path.StartsWith(root.EndsWith('/') ? root : root + "/", StringComparison.Ordinal);

    private static void MergeInto(string tree, string destination, string root)
    {
        StagingTree.CheckLinks(tree);
        string dir = StagingTree.EnsureRealDirectory(root, Path.GetRelativePath(root, destination), "the artifact destination");
        StagingTree.MergeInto(tree, dir);
    }

    private static void PlaceFile(string file, string destination, string root)
    {
        string parent = StagingTree.EnsureRealDirectory(root, Path.GetRelativePath(root, Path.GetDirectoryName(destination)!), "the artifact destination");
        StagingTree.PlaceFile(file, Path.Combine(parent, Path.GetFileName(destination)));
    }

    private static Dictionary<string, string> Headers(TaskArtifact artifact, ArtifactTask task) =>
        (artifact.GetterHeaders ?? []).ToDictionary(kv => kv.Key, kv => task.Interpolate(kv.Value));

    private async Task DownloadAsync(Uri url, Dictionary<string, string> headers, string file, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (_options.HttpReadTimeout > TimeSpan.Zero) deadline.CancelAfter(_options.HttpReadTimeout);
        long max = _options.HttpMaxBytes;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            foreach (var (k, v) in headers) request.Headers.TryAddWithoutValidation(k, v);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) throw new ArtifactException($"bad response code: {(int)response.StatusCode}");
            if (max > 0 && response.Content.Headers.ContentLength > max) throw TooLarge(max);
            await using var body = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
            await using var output = File.Create(file);
            var buffer = new byte[81920];
            long total = 0;
            int n;
            while ((n = await body.ReadAsync(buffer, deadline.Token).ConfigureAwait(false)) > 0)
            {
                total += n;
                if (max > 0 && total > max) throw TooLarge(max);
                await output.WriteAsync(buffer.AsMemory(0, n), deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ArtifactException($"download did not complete within http_read_timeout ({GoDuration.Format(_options.HttpReadTimeout)})");
        }
        catch (HttpRequestException e)
        {
            throw new ArtifactException($"GET {url.GetLeftPart(UriPartial.Path)}: {e.Message}");
        }
    }

    private static ArtifactException TooLarge(long max) => new($"artifact is larger than http_max_size ({max} bytes)");

    /// <summary>Copies a local source: a file to <paramref name="file"/>, a directory's contents into <paramref name="tree"/> (returns true).</summary>
    private bool CopyLocal(string path, ArtifactTask task, string file, string tree)
    {
        string real = RealPath(path) ?? throw new ArtifactException($"source \"{path}\" does not exist");
        if (!MayRead(real, task))
            throw new ArtifactException(
                $"source \"{path}\" is outside the allocation directory; the client's artifact {{ disable_filesystem_isolation, filesystem_isolation_extra_paths }} can allow it");
        if (!Directory.Exists(real))
        {
            File.Copy(real, file);
            return false;
        }
        Directory.CreateDirectory(tree);
        var budget = ExtractionBudget.For(_options);
        var links = new List<(string Name, string Target)>();
        foreach (var entry in StagingTree.Walk(real))
        {
            budget.CountFile();
            string rel = Path.GetRelativePath(real, entry), to = Path.Combine(tree, rel);
            var info = new FileInfo(entry);
            if (info.LinkTarget is { } target) links.Add((rel, target));
            else if (Directory.Exists(entry)) Directory.CreateDirectory(to);
            else
            {
                using var input = File.OpenRead(entry);
                using var output = File.Create(to);
                budget.Copy(input, output);
            }
        }
        foreach (var (name, target) in links) StagingTree.CreateLink(tree, name, target);
        StagingTree.CheckLinks(tree);
        return true;
    }

    /// <summary>Whether a local source (resolved) may be read: inside the allocation, in an extra path, or anywhere without isolation.</summary>
    private bool MayRead(string real, ArtifactTask task)
    {
        if (_options.DisableFilesystemIsolation) return true;
        if (RealPath(task.AllocDir) is { } alloc && Within(alloc, real)) return true;
        foreach (var entry in _options.FilesystemIsolationExtraPaths)
        {
            var parts = entry.Split(':', 3);
            if (parts.Length != 3 || !parts[1].Contains('r') || RealPath(parts[2]) is not { } allowed) continue;
            if (parts[0] == "f" ? real == allowed : Within(allowed, real)) return true;
        }
        return false;
    }

    [DllImport("libc", EntryPoint = "realpath", SetLastError = true)]
    private static extern nint RealPathNative([MarshalAs(UnmanagedType.LPUTF8Str)] string path, nint resolved);

    [DllImport("libc", EntryPoint = "free")]
    private static extern void Free(nint p);

    /// <summary>The path with every link resolved (realpath(3)), or null when it does not exist.</summary>
    private static string? RealPath(string path)
    {
        nint p = RealPathNative(path, 0);
        if (p == 0) return null;
        try { return Marshal.PtrToStringUTF8(p); }
        finally { Free(p); }
    }

    public void Dispose() => _http.Dispose();
}
