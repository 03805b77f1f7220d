using System.Globalization;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Nomad.Drivers.Docker;

/// <summary>
/// Copies a container's stdout/stderr from Docker (follow, with timestamps) into the task's rotated log files in
/// <c>alloc/logs</c>. The timestamp of the last line written is kept in a cursor file in the task's state
/// directory, with where each log file stood then, so a driver that restarts continues after that line instead of
/// copying everything again; what it wrote after its last cursor (killed in between) is cut off and copied again, once.
/// </summary>
internal sealed class ContainerLogs
{
    private readonly DockerClient _docker;
    private readonly string _containerId, _cursorPath;
    private readonly RotatingLog _stdout, _stderr;
    private (long Sec, long Nanos) _cursor;
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Completes when the container's log stream has ended (it has exited) or the copy was stopped.</summary>
    public Task Done { get; }

    public ContainerLogs(DockerClient docker, string containerId, string stdoutPath, string stderrPath, int maxFiles, long maxSize, string cursorPath)
    {
        _docker = docker;
        _containerId = containerId;
        _cursorPath = cursorPath;
        var (cursor, positions) = ReadCursor(cursorPath);
        _cursor = cursor;
        if (positions is { } p)
        {
            RotatingLog.TruncateTo(stdoutPath, p.Out.Index, p.Out.Offset);
            RotatingLog.TruncateTo(stderrPath, p.Err.Index, p.Err.Offset);
        }
        _stdout = new RotatingLog(stdoutPath, maxFiles, maxSize);
        _stderr = new RotatingLog(stderrPath, maxFiles, maxSize);
        // Before the first line: where the logs stand (they hold earlier attempts'), so a driver killed before its
        // first cursor cuts back to here rather than copying the first lines twice.
        if (positions is null && cursor == default) SaveCursor();
        Done = Task.Run(RunAsync);
    }

    public void Stop() => _stop.Cancel();

    private async Task RunAsync()
    {
        // A daemon hiccup breaks the stream without the container ending: follow again from the cursor.
        for (var attempt = 0; !_stop.IsCancellationRequested; attempt++)
        {
            try
            {
                await CopyAsync().ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested) { break; }
            catch (DockerContainerNotFoundException) { break; }
            catch (Exception e) when (attempt < 30)
            {
                Console.Error.WriteLine($"[DEBUG] docker: logs of {_containerId[..12]} interrupted ({e.Message}); following again");
                try { await Task.Delay(TimeSpan.FromSeconds(1), _stop.Token).ConfigureAwait(false); } catch (OperationCanceledException) { break; }
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"[WARN]  docker: giving up on the logs of {_containerId[..12]}: {e.Message}");
                break;
            }
        }
        Close();
    }

    private async Task CopyAsync()
    {
        var p = new ContainerLogsParameters { Follow = true, ShowStdout = true, ShowStderr = true, Timestamps = true };
        if (_cursor != default) p.Since = $"{_cursor.Sec}.{_cursor.Nanos:D9}";
        using var stream = await _docker.Containers.GetContainerLogsAsync(_containerId, false, p, _stop.Token).ConfigureAwait(false);
        var buffer = new byte[81920];
        var pending = new[] { new MemoryStream(), new MemoryStream() }; // partial lines of stdout, stderr
        while (true)
        {
            var r = await stream.ReadOutputAsync(buffer, 0, buffer.Length, _stop.Token).ConfigureAwait(false);
            if (r.EOF) break;
            var which = r.Target == MultiplexedStream.TargetStream.StandardError ? 1 : 0;
            var acc = pending[which];
            var data = buffer.AsSpan(0, r.Count);
            bool wrote = false;
            while (data.IndexOf((byte)'\n') is var nl and >= 0)
            {
                acc.Write(data[..(nl + 1)]);
                data = data[(nl + 1)..];
                wrote |= WriteLine(acc.GetBuffer().AsSpan(0, (int)acc.Length), which);
                acc.SetLength(0);
            }
            acc.Write(data);
            if (wrote) SaveCursor();
        }
        // A last line without a newline.
        for (var i = 0; i < 2; i++)
            if (pending[i].Length > 0) WriteLine(pending[i].GetBuffer().AsSpan(0, (int)pending[i].Length), i);
        SaveCursor();
        Close();
    }

    /// <summary>Writes "TIMESTAMP payload" without its timestamp, unless the cursor says it was written before.</summary>
    private bool WriteLine(ReadOnlySpan<byte> line, int which)
    {
        var space = line.IndexOf((byte)' ');
        if (space > 0 && ParseTimestamp(line[..space]) is { } ts)
        {
            if (ts.CompareTo(_cursor) <= 0) return false; // already copied before a restart
            _cursor = ts;
            line = line[(space + 1)..];
        }
        (which == 1 ? _stderr : _stdout).Write(line);
        return true;
    }

    /// <summary>RFC 3339 with nanoseconds → (unix seconds, nanoseconds).</summary>
    internal static (long Sec, long Nanos)? ParseTimestamp(ReadOnlySpan<byte> raw)
    {
        var s = Encoding.ASCII.GetString(raw);
        var dot = s.IndexOf('.');
        var end = s.IndexOfAny(['Z', '+'], Math.Max(0, dot));
        if (end < 0) return null;
        var whole = dot > 0 ? s[..dot] : s[..end];
        if (!DateTime.TryParseExact(whole, "yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)) return null;
        long nanos = 0;
        if (dot > 0)
        {
            var frac = s[(dot + 1)..end].PadRight(9, '0')[..9];
            if (!long.TryParse(frac, NumberStyles.None, CultureInfo.InvariantCulture, out nanos)) return null;
        }
        return ((long)(t - DateTime.UnixEpoch).TotalSeconds, nanos);
    }

    /// <summary>"SEC.NANOS [OUTINDEX OUTOFFSET ERRINDEX ERROFFSET]": the last line's timestamp and where the logs stood.</summary>
    private static ((long, long) Cursor, ((int Index, long Offset) Out, (int Index, long Offset) Err)? Positions) ReadCursor(string path)
    {
        try
        {
            var fields = File.ReadAllText(path).Trim().Split(' ');
            var parts = fields[0].Split('.');
            var cursor = (long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture));
            if (fields.Length < 5) return (cursor, null);
            int I(int k) => int.Parse(fields[k], CultureInfo.InvariantCulture);
            long L(int k) => long.Parse(fields[k], CultureInfo.InvariantCulture);
            return (cursor, ((I(1), L(2)), (I(3), L(4))));
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException) { return default; }
    }

    private void SaveCursor()
    {
        _stdout.Flush();
        _stderr.Flush();
        try
        {
            var tmp = _cursorPath + ".tmp";
            var (o, r) = (_stdout.Position, _stderr.Position);
            File.WriteAllText(tmp, FormattableString.Invariant($"{_cursor.Sec}.{_cursor.Nanos:D9} {o.Index} {o.Offset} {r.Index} {r.Offset}"));
            File.Move(tmp, _cursorPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private int _closed;
    private void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        _stdout.Dispose();
        _stderr.Dispose();
    }
}
