using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Nomad.Agent.Structs;
using static Nomad.Agent.Client.Allocs.LinuxFileCalls;

namespace Nomad.Agent.Client.Allocs;

/// <summary>
/// The one way the fs API (ls, stat, cat, readat, logs) reaches an allocation's files: every path given over the
/// API is resolved by the kernel, component by component, beneath the allocation directory, and the answer is
/// read from the descriptor that resolution produced, never from the path again.
/// <para>
/// A task owns the files in its directories and can plant any symlink there (chains, loops, links swapped while a
/// request runs), so checking a path and then opening it cannot be made safe. openat2(2) with RESOLVE_BENEATH
/// follows symlinks and <c>..</c> as the kernel does and fails with EXDEV when any step would leave the directory
/// (absolute links included); RESOLVE_NO_MAGICLINKS refuses /proc's links to other processes' files (ELOOP).
/// Mounts inside the directory are part of it, as they are for the task. RESOLVE_BENEATH rather than
/// RESOLVE_IN_ROOT: a path that tries to leave gets an error instead of silently meaning another file.
/// </para>
/// <para>
/// Escaping paths answer 400 "path: P escapes the allocation directory", as <c>..</c> did before. Nomad refuses
/// them too ("Path escapes the alloc directory") but as a 500 without naming the path; the request is at fault, so
/// we keep the 400 and name the path. A link loop (or a /proc link) is a 400 as well; a missing path is a 404.
/// </para>
/// <para>
/// Resolution yields an O_PATH handle, which opens nothing; only after its type is known is a regular file (or a
/// directory, to list it) reopened for reading through /proc/self/fd, the same inode. A task can mknod a device
/// (a watchdog, a tty) or leave a FIFO or socket under any name, and the root agent must not open those: stat and
/// ls describe them, cat and readat refuse them (400), the logs skip them. Reading a file in a task's <c>secrets</c> directory,
/// reached by any path or link, is refused as Nomad does ("Reading secret file prohibited", a 403 here).
/// </para>
/// <para>
/// Where openat2 is missing (Linux older than 5.6) every call fails closed with a 500 saying so. A fallback walk
/// (openat of one component at a time with O_NOFOLLOW, reading and resolving each link in user space) would have
/// to reimplement the kernel's rules for <c>..</c> across mounts and renames: too much surface for kernels past
/// their support, so there is none.
/// </para>
/// </summary>
public sealed class AllocFileAccess(string root)
{
    private const ulong Confined = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    // RESOLVE_BENEATH fails with EAGAIN when a rename or mount anywhere races a ".." step; the retry is immediate.
    private const int MaxAttempts = 32;

    internal const string OpenatMissing =
        "the client fs API needs the openat2 system call (Linux 5.6 or newer) to keep paths inside the allocation directory, and this kernel lacks it";

    /// <summary>
    /// Nomad's stat of <paramref name="path"/> (a final symlink is followed, within the directory); the content
    /// type of a regular file is sniffed from its first bytes. Nothing but a regular file is ever opened for reading.
    /// </summary>
    public AllocFileInfo Stat(string path)
    {
        using var target = Resolve(path);
        var st = StatOf(target, path);
        var contentType = st.IsDirectory ? "" : st.IsRegular ? SniffContentType(target) : "application/octet-stream";
        return AllocFileInfo.From(DisplayName(path), st, contentType);
    }

    /// <summary>A directory's entries, sorted by name, each described without following it (a link shows as one).</summary>
    public IReadOnlyList<AllocFileInfo> List(string path) =>
        TryList(path) ?? throw new NotFoundException($"path: {path} does not exist");

    /// <summary>As <see cref="List"/>, or null when the path does not exist.</summary>
    public IReadOnlyList<AllocFileInfo>? TryList(string path)
    {
        using var target = TryResolve(path);
        if (target is null) return null;
        if (!StatOf(target, path).IsDirectory) throw new BadRequestException($"path: {path} is a file, not a directory");
        using var dir = Reopen(target, path);
        var names = ReadDirectory(dir, out var errno);
        if (errno != 0) throw Failure(errno, path);
        var entries = new List<AllocFileInfo>(names.Count);
        foreach (var name in names)
        {
            var rc = StatEntry(dir, name, out var st);
            if (rc == ENOENT) continue; // removed since the listing
            if (rc != 0) throw Failure(rc, path);
            entries.Add(AllocFileInfo.From(name, st, ""));
        }
        entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return entries;
    }

    /// <summary>A regular file outside every task's secrets, open for reading (read it with <see cref="RandomAccess"/>).</summary>
    public SafeFileHandle OpenFile(string path) =>
        TryOpenFile(path) ?? throw new NotFoundException($"path: {path} does not exist");

    /// <summary>As <see cref="OpenFile"/>, or null when the path does not exist.</summary>
    public SafeFileHandle? TryOpenFile(string path)
    {
        using var target = TryResolve(path);
        if (target is null) return null;
        var st = StatOf(target, path);
        if (st.IsDirectory) throw new BadRequestException($"path: {path} is a directory");
        if (!st.IsRegular) throw new BadRequestException($"path: {path} is not a regular file");
        RefuseSecrets(target, path);
        return Reopen(target, path);
    }

    /// <summary>As <see cref="TryOpenFile"/>, but null too when the path is there and is not a regular file.</summary>
    public SafeFileHandle? TryOpenRegularFile(string path)
    {
        using var target = TryResolve(path);
        if (target is null || !StatOf(target, path).IsRegular) return null;
        RefuseSecrets(target, path);
        return Reopen(target, path);
    }

    /// <summary>
    /// Nomad refuses to read anything in a task's secrets directory ("Reading secret file prohibited"); ls and stat
    /// still describe it. Decided on where the resolved file is, so a link to a secret from anywhere in the
    /// allocation is refused too: the kernel's path of the file, below the allocation directory, must not be
    /// TASK/secrets/... (case-insensitively, as Nomad compares).
    /// </summary>
    private void RefuseSecrets(SafeFileHandle target, string path)
    {
        using var rootDir = OpenRoot(path);
        var rootPath = PathOf(rootDir);
        var filePath = PathOf(target);
        if (rootPath is null || filePath is null || !filePath.StartsWith(rootPath.TrimEnd('/') + "/", StringComparison.Ordinal))
            throw new IOException($"path: {path}: cannot tell where the file is within the allocation directory");
        var parts = filePath[(rootPath.TrimEnd('/').Length + 1)..].Split('/');
        if (parts.Length >= 2 && parts[0] != "alloc" && parts[1].Equals("secrets", StringComparison.OrdinalIgnoreCase))
            throw new PermissionDeniedException($"Reading secret file prohibited: {path}");
    }

    /// <summary>The resolved file itself, reopened for reading (it was resolved as an O_PATH handle).</summary>
    private static SafeFileHandle Reopen(SafeFileHandle target, string path)
    {
        var file = LinuxFileCalls.Reopen(target, out var errno);
        if (file.IsInvalid) throw Failure(errno, path);
        return file;
    }

    private SafeFileHandle Resolve(string path) =>
        TryResolve(path) ?? throw new NotFoundException($"path: {path} does not exist");

    /// <summary>
    /// The confined resolution, as an O_PATH handle (which opens nothing: a device, FIFO or socket a task left is
    /// named, not opened): null when the path does not exist; errors for everything else that fails.
    /// </summary>
    private SafeFileHandle? TryResolve(string path)
    {
        var relative = Relative(path);
        using var rootDir = OpenRoot(path);
        for (var attempt = 1; ; attempt++)
        {
            var file = Openat2(rootDir, relative, O_PATH | O_CLOEXEC, Confined, out var errno);
            if (!file.IsInvalid) return file;
            if (errno == EAGAIN && attempt < MaxAttempts) continue;
            if (errno is ENOENT or ENOTDIR) return null;
            throw Failure(errno, path);
        }
    }

    /// <summary>
    /// The allocation directory itself, as a handle. Its parent (the client's alloc_dir) is trusted; the directory
    /// itself must not be a symlink, which a task able to write into alloc_dir could otherwise put in its place.
    /// </summary>
    private SafeFileHandle OpenRoot(string path)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("the client fs API is available on Linux only");
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        using var parent = OpenPath(Path.GetDirectoryName(full) ?? "/", out var errno);
        if (parent.IsInvalid) throw errno == ENOENT ? new NotFoundException($"path: {path} does not exist") : Failure(errno, path);
        var dir = Openat2(parent, Path.GetFileName(full), O_PATH | O_CLOEXEC, Confined | RESOLVE_NO_SYMLINKS, out errno);
        if (dir.IsInvalid) throw errno == ENOENT ? new NotFoundException($"path: {path} does not exist") : Failure(errno, path);
        return dir;
    }

    /// <summary>The API's paths are relative to the allocation directory; a leading slash names that directory.</summary>
    private static string Relative(string path)
    {
        if (path.Contains('\0')) throw new BadRequestException("path: must not contain a NUL byte");
        var relative = path.TrimStart('/');
        return relative.Length == 0 ? "." : relative;
    }

    /// <summary>The name Nomad's stat reports: the last element of the path cleaned lexically (the allocation ID for "/").</summary>
    private string DisplayName(string path) =>
        Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(root, path.TrimStart('/')))));

    private static StatxResult StatOf(SafeFileHandle file, string path)
    {
        var errno = LinuxFileCalls.Stat(file, out var st);
        if (errno != 0) throw Failure(errno, path);
        return st;
    }

    /// <summary>
    /// Like Go's http.DetectContentType for what tasks write: text, or bytes when a NUL shows up (or when the agent
    /// may not read the file: a stat needs no read permission).
    /// </summary>
    private static string SniffContentType(SafeFileHandle regularFile)
    {
        using var file = LinuxFileCalls.Reopen(regularFile, out _);
        if (file.IsInvalid) return "application/octet-stream";
        var head = new byte[512];
        int n;
        try { n = RandomAccess.Read(file, head, 0); }
        catch (IOException) { return "application/octet-stream"; }
        return n == 0 || head.AsSpan(0, n).IndexOf((byte)0) < 0 ? "text/plain; charset=utf-8" : "application/octet-stream";
    }

    private static Exception Failure(int errno, string path) => errno switch
    {
        EXDEV => new BadRequestException($"path: {path} escapes the allocation directory"),
        ELOOP => new BadRequestException($"path: {path} cannot be resolved: too many levels of symbolic links, or a link into /proc"),
        ENOENT or ENOTDIR => new NotFoundException($"path: {path} does not exist"),
        EACCES or EPERM => new PermissionDeniedException($"path: {path}: permission denied"),
        ENAMETOOLONG => new BadRequestException($"path: {path} is too long"),
        ENOSYS => new PlatformNotSupportedException(OpenatMissing),
        EAGAIN => new IOException($"path: {path} kept changing while it was resolved"),
        _ => new IOException($"path: {path}: {Marshal.GetPInvokeErrorMessage(errno)}"),
    };
}
