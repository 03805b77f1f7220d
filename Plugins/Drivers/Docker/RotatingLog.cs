namespace Nomad.Drivers.Docker;

/// <summary>
/// The task log files as every driver writes them (Nomad's logmon naming): <c>base.0</c>, <c>base.1</c>, ...; it
/// appends to the highest existing index, moves on when a file holds <c>maxSize</c> bytes and deletes the
/// oldest beyond <c>maxFiles</c>. The shim drivers do the same inside nomad-executor; docker's logs are copied
/// by the driver, which resumes after a restart from its cursor (see <see cref="ContainerLogs"/>).
/// </summary>
internal sealed class RotatingLog : IDisposable
{
    private readonly string _dir, _prefix;
    private readonly long _maxSize;
    private readonly int _maxFiles;
    private int _index;
    private FileStream _file;

    public RotatingLog(string basePath, int maxFiles, long maxSize)
    {
        _dir = Path.GetDirectoryName(Path.GetFullPath(basePath)) ?? "/";
        _prefix = Path.GetFileName(basePath) + ".";
        _maxFiles = Math.Max(1, maxFiles);
        _maxSize = Math.Max(1, maxSize);
        Directory.CreateDirectory(_dir);
        _index = Indexes().DefaultIfEmpty(0).Max();
        _file = Open();
    }

    private FileStream Open() => new(Path.Combine(_dir, _prefix + _index), FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);

    private IEnumerable<int> Indexes() =>
        Directory.EnumerateFiles(_dir, _prefix + "*")
            .Select(f => Path.GetFileName(f)[_prefix.Length..])
            .Where(s => s.Length > 0 && s.All(char.IsAsciiDigit))
            .Select(s => int.TryParse(s, out var i) ? i : -1).Where(i => i >= 0);

    public void Write(ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            var room = _maxSize - _file.Length;
            if (room <= 0)
            {
                _file.Dispose();
                _index++;
                _file = Open();
                foreach (var old in Indexes().Where(i => i <= _index - _maxFiles).ToList())
                    try { File.Delete(Path.Combine(_dir, _prefix + old)); } catch (IOException) { }
                continue;
            }
            var n = (int)Math.Min(room, data.Length);
            _file.Write(data[..n]);
            data = data[n..];
        }
    }

    public void Flush() => _file.Flush();

    /// <summary>Where the next byte goes: the file index and its length (after <see cref="Flush"/>).</summary>
    public (int Index, long Offset) Position => (_index, _file.Length);

    /// <summary>
    /// Undoes what was written after <paramref name="index"/>/<paramref name="offset"/>: newer files are deleted and
    /// that file is cut back to the offset. Used before opening, so bytes written after the last saved cursor are
    /// copied again exactly once rather than twice.
    /// </summary>
    public static void TruncateTo(string basePath, int index, long offset)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(basePath)) ?? "/";
        var prefix = Path.GetFileName(basePath) + ".";
        if (!Directory.Exists(dir)) return;
        foreach (var f in Directory.EnumerateFiles(dir, prefix + "*").ToList())
            if (int.TryParse(Path.GetFileName(f)[prefix.Length..], out var i) && i > index) File.Delete(f);
        var path = Path.Combine(dir, prefix + index);
        if (File.Exists(path) && new FileInfo(path).Length > offset)
            using (var f = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete)) f.SetLength(offset);
    }

    public void Dispose() => _file.Dispose();
}
