namespace Nomad.Executor;

/// <summary>
/// Appends a stream to <c>base.N</c> files, as Nomad's logmon FileRotator does: it continues the
/// highest-numbered existing file, starts <c>base.(N+1)</c> when a file reaches the size limit (files hold
/// exactly that many bytes) and deletes the oldest files beyond <c>maxFiles</c>.
/// </summary>
internal sealed class LogRotator : IDisposable
{
    private readonly string _dir, _prefix;
    private readonly long _maxSize;
    private readonly int _maxFiles;
    private int _index, _fd = -1;
    private long _size;

    public LogRotator(string basePath, int maxFiles, long maxSize)
    {
        _dir = Path.GetDirectoryName(Path.GetFullPath(basePath)) ?? "/";
        _prefix = Path.GetFileName(basePath) + ".";
        _maxFiles = Math.Max(1, maxFiles);
        _maxSize = Math.Max(1, maxSize);
        Directory.CreateDirectory(_dir);
        foreach (var i in Indexes()) _index = Math.Max(_index, i);
        OpenCurrent();
    }

    private IEnumerable<int> Indexes()
    {
        foreach (var f in Directory.EnumerateFiles(_dir, _prefix + "*"))
        {
            var suffix = Path.GetFileName(f.AsSpan())[_prefix.Length..];
            if (suffix.Length > 0 && int.TryParse(suffix, System.Globalization.NumberStyles.None, null, out var i)) yield return i;
        }
    }

    private void OpenCurrent()
    {
        var path = Path.Combine(_dir, _prefix + _index);
        _fd = Libc.Open(path, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND | Libc.O_CLOEXEC, 0b110_100_100);
        if (_fd < 0) throw new IOException($"open {path}: {Libc.StrError(Libc.Errno)}");
        _size = Math.Max(0, Libc.lseek(_fd, 0, Libc.SEEK_END));
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            long room = _maxSize - _size;
            if (room <= 0) { Rotate(); continue; }
            int n = (int)Math.Min(room, data.Length);
            Libc.WriteAll(_fd, data[..n]); // a full disk loses log bytes, never the task
            _size += n;
            data = data[n..];
        }
    }

    private void Rotate()
    {
        Libc.close(_fd);
        _index++;
        OpenCurrent();
        Purge();
    }

    private void Purge()
    {
        foreach (var i in Indexes())
            if (i <= _index - _maxFiles)
                try { File.Delete(Path.Combine(_dir, _prefix + i)); } catch (IOException) { }
    }

    public void Dispose()
    {
        if (_fd >= 0) Libc.close(_fd);
        _fd = -1;
    }
}
