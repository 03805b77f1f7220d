using System.Collections.Concurrent;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Nomad.Drivers.Docker;

/// <summary>
/// Makes a task's image present: used as is when the daemon has it (unless <c>force_pull</c>), pulled otherwise,
/// with progress reported as task events and two time limits (the task's <c>image_pull_timeout</c> overall, the
/// plugin's <c>pull_activity_timeout</c> without progress), so an unreachable registry fails the task with a
/// clear message instead of hanging. Counts the tasks using each pulled image, for <c>gc { image = true }</c>.
/// </summary>
internal sealed class Images(Func<DockerClient> docker, Func<DockerPluginConfig> config, Action<string, string> taskEvent)
{
    private readonly ConcurrentDictionary<string, int> _users = new();
    private readonly ConcurrentDictionary<string, byte> _pulledByUs = new();
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _pendingRemoval = new();

    /// <summary>Returns the image's ID, pulling it first if needed.</summary>
    public async Task<string> EnsureAsync(string taskId, DockerTaskConfig cfg, CancellationToken ct)
    {
        var client = docker();
        if (!cfg.ForcePull)
        {
            try { return (await client.Images.InspectImageAsync(cfg.Image, ct).ConfigureAwait(false)).ID; }
            catch (DockerImageNotFoundException) { }
        }
        var (repo, tag) = SplitReference(cfg.Image);
        taskEvent(taskId, $"Downloading image {cfg.Image}");
        var plugin = config();
        using var overall = CancellationTokenSource.CreateLinkedTokenSource(ct);
        overall.CancelAfter(cfg.ImagePullTimeout);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(overall.Token);
        idle.CancelAfter(plugin.PullActivityTimeout);
        var progress = new PullProgress(taskId, cfg.Image, taskEvent, () => idle.CancelAfter(plugin.PullActivityTimeout));
        try
        {
            await client.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = repo, Tag = tag }, null, progress, idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            var why = overall.IsCancellationRequested
                ? $"image_pull_timeout {Fmt(cfg.ImagePullTimeout)} exceeded"
                : $"no pull progress for {Fmt(plugin.PullActivityTimeout)} (pull_activity_timeout)";
            throw new InvalidOperationException($"Failed to pull `{cfg.Image}`: {why}");
        }
        catch (DockerApiException e)
        {
            throw new InvalidOperationException($"Failed to pull `{cfg.Image}`: {ApiMessage(e)}");
        }
        // The daemon reports some failures (an unknown registry host, a missing manifest) in the stream, not the status.
        if (progress.Error is { } err) throw new InvalidOperationException($"Failed to pull `{cfg.Image}`: {err}");
        string id;
        try { id = (await client.Images.InspectImageAsync(cfg.Image, ct).ConfigureAwait(false)).ID; }
        catch (DockerImageNotFoundException) { throw new InvalidOperationException($"Failed to pull `{cfg.Image}`: the image is not present after the pull"); }
        _pulledByUs[id] = 1;
        taskEvent(taskId, $"Downloaded image {cfg.Image}");
        return id;
    }

    /// <summary>A task started on the image.</summary>
    public void Use(string imageId)
    {
        _users.AddOrUpdate(imageId, 1, (_, n) => n + 1);
        if (_pendingRemoval.TryRemove(imageId, out var pending)) pending.Cancel();
    }

    /// <summary>A task on the image was destroyed: with image GC on, remove an image we pulled once unused for image_delay.</summary>
    public void Release(string imageId)
    {
        var left = _users.AddOrUpdate(imageId, 0, (_, n) => Math.Max(0, n - 1));
        var cfg = config();
        // Never an image the daemon had before we pulled it (such as the one the test set-up imports): we cannot get it back.
        if (left > 0 || !cfg.GcImage || !_pulledByUs.ContainsKey(imageId)) return;
        var cts = new CancellationTokenSource();
        if (!_pendingRemoval.TryAdd(imageId, cts)) return;
        _ = Task.Delay(cfg.GcImageDelay, cts.Token).ContinueWith(async t =>
        {
            _pendingRemoval.TryRemove(imageId, out _);
            if (t.IsCanceled || _users.GetValueOrDefault(imageId) > 0) return;
            try
            {
                await docker().Images.DeleteImageAsync(imageId, new ImageDeleteParameters(), CancellationToken.None).ConfigureAwait(false);
                _pulledByUs.TryRemove(imageId, out _);
                Console.Error.WriteLine($"[INFO]  docker: removed unused image {imageId}");
            }
            catch (Exception e) { Console.Error.WriteLine($"[WARN]  docker: cannot remove unused image {imageId}: {e.Message}"); }
        }, TaskScheduler.Default);
    }

    /// <summary><c>repo[:tag]</c> or <c>repo@digest</c>; a colon in a registry host (<c>host:5000/x</c>) is not a tag.</summary>
    internal static (string Repo, string Tag) SplitReference(string image)
    {
        if (image.Contains('@')) return (image, "");
        var slash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        return colon > slash ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }

    internal static string ApiMessage(DockerApiException e)
    {
        var body = e.ResponseBody ?? "";
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("message", out var m)) return m.GetString() ?? body;
        }
        catch (System.Text.Json.JsonException) { }
        return body.Length > 0 ? body.Trim() : e.Message;
    }

    private static string Fmt(TimeSpan t) => t.TotalMinutes >= 1 && t.Seconds == 0 ? $"{t.TotalMinutes:0}m" : $"{t.TotalSeconds:0.#}s";

    /// <summary>Turns the daemon's pull messages into at most one progress event every 10 s, and keeps its error.</summary>
    private sealed class PullProgress(string taskId, string image, Action<string, string> taskEvent, Action alive) : IProgress<JSONMessage>
    {
        private readonly ConcurrentDictionary<string, (long Current, long Total)> _layers = new();
        private DateTime _lastEvent = DateTime.UtcNow;
        public string? Error { get; private set; }

        public void Report(JSONMessage m)
        {
            alive();
            if (m.Error is { Message.Length: > 0 } err) Error = err.Message;
            else if (m.ErrorMessage is { Length: > 0 } em) Error = em;
            if (m.ID is { Length: > 0 } id && m.Progress is { } p) _layers[id] = (p.Current, p.Total);
            if (DateTime.UtcNow - _lastEvent < TimeSpan.FromSeconds(10)) return;
            _lastEvent = DateTime.UtcNow;
            long cur = _layers.Values.Sum(l => l.Current), total = _layers.Values.Sum(l => l.Total);
            var pct = total > 0 ? $" ({100.0 * cur / total:0}%)" : "";
            taskEvent(taskId, $"Downloading image {image}: {cur / 1048576.0:0.0} of {total / 1048576.0:0.0} MiB{pct} in {_layers.Count} layers");
        }
    }
}
