using Nomad.Agent.Logging;

namespace Nomad.Agent.Client;

/// <summary>
/// Writes the client's small state files atomically and durably, many at a time (a group commit): each file
/// goes to a temporary file beside it, is flushed to disk and renamed into place, so a crash leaves the old or
/// the new content, never half of one. One writer takes whatever is queued, writes every file, then flushes
/// them all (the first flush commits the filesystem's journal with the others' data, so the rest cost little),
/// then renames them. Two hundred tasks changing state at once then cost a few disk flushes, not two hundred
/// in a row, and nobody holds a thread-pool thread while waiting for the disk.
/// </summary>
/// <remarks>
/// Writes to one path are applied in the order they were queued; a write queued while an older one for the
/// same path still waits replaces it (only the newest content matters). A null content deletes the file.
/// </remarks>
public sealed class BatchedFileWriter(Logger? log = null)
{
    private const int MaxBatch = 256;
    private readonly Lock _lock = new();
    private Dictionary<string, Pending> _pending = new();
    // The batch being written: still readable through TryGetQueued until its files are renamed into place.
    private Dictionary<string, Pending> _inflight = new();
    private Task _writer = Task.CompletedTask;

    private sealed class Pending
    {
        public byte[]? Content;
        public readonly TaskCompletionSource Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Queues <paramref name="content"/> (null: delete) for <paramref name="path"/>; completes once it is on disk.</summary>
    public Task WriteAsync(string path, byte[]? content)
    {
        lock (_lock)
        {
            if (!_pending.TryGetValue(path, out var p)) _pending[path] = p = new Pending();
            p.Content = content;
            // One writer at a time; it runs until nothing is queued, so a finished writer means an empty queue.
            if (_writer.IsCompleted) _writer = Task.Run(WriteAll);
            return p.Done.Task;
        }
    }

    /// <summary>What is queued for <paramref name="path"/> and not yet written: true with the content (null: a delete).</summary>
    public bool TryGetQueued(string path, out byte[]? content)
    {
        lock (_lock)
        {
            if (_pending.TryGetValue(path, out var p) || _inflight.TryGetValue(path, out p)) { content = p.Content; return true; }
            content = null;
            return false;
        }
    }

    /// <summary>Completes once everything queued before the call is on disk (or failed).</summary>
    public Task FlushAsync()
    {
        lock (_lock) return _writer;
    }

    private void WriteAll()
    {
        while (true)
        {
            List<KeyValuePair<string, Pending>> batch;
            lock (_lock)
            {
                if (_pending.Count == 0) return;
                batch = _pending.Take(MaxBatch).ToList();
                if (batch.Count == _pending.Count) _pending = new();
                else foreach (var kv in batch) _pending.Remove(kv.Key);
                _inflight = batch.ToDictionary();
            }
            try
            {
                WriteBatch(batch);
            }
            catch (Exception e)
            {
                // Whatever went wrong, nobody may wait forever for a write that will not happen.
                log?.Error($"failed to write state files: count={batch.Count} error=\"{e.Message}\"");
                foreach (var (_, item) in batch) item.Done.TrySetException(e);
            }
            finally
            {
                lock (_lock) _inflight = new();
            }
        }
    }

    private void WriteBatch(List<KeyValuePair<string, Pending>> batch)
    {
        var open = new List<(string Path, Pending Item, FileStream File)>();
        var failed = new Dictionary<Pending, Exception>();
        try
        {
            foreach (var (path, item) in batch)
            {
                try
                {
                    if (item.Content is null) { File.Delete(path); continue; }
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    var f = new FileStream(path + ".tmp", FileMode.Create, FileAccess.Write);
                    open.Add((path, item, f));
                    f.Write(item.Content);
                }
                catch (Exception e) { failed[item] = e; }
            }
            foreach (var (_, item, f) in open)
            {
                if (failed.ContainsKey(item)) continue;
                try { f.Flush(flushToDisk: true); }
                catch (Exception e) { failed[item] = e; }
            }
        }
        finally
        {
            foreach (var (_, _, f) in open) f.Dispose();
        }
        foreach (var (path, item, _) in open)
        {
            if (failed.ContainsKey(item)) continue;
            try { File.Move(path + ".tmp", path, overwrite: true); }
            catch (Exception e) { failed[item] = e; }
        }
        foreach (var (path, item) in batch)
        {
            if (failed.TryGetValue(item, out var e))
            {
                log?.Error($"failed to write state file: path={path} error=\"{e.Message}\"");
                item.Done.TrySetException(e);
            }
            else item.Done.TrySetResult();
        }
    }
}
