using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Nomad.Agent.Client.Allocs;

/// <summary>
/// The few Linux calls <see cref="AllocFileAccess"/> needs and .NET does not offer: openat2(2), statx(2) and
/// getdents64(2), all by number through glibc's <c>syscall</c> (openat2 is 437 everywhere; the other two differ
/// between x86_64 and arm64) so that a glibc older than their wrappers (2.28 / 2.30) on a 5.6+ kernel works; their
/// structures are the same on every architecture. Errors come back as the errno value.
/// </summary>
internal static class LinuxFileCalls
{
    private const string Libc = "libc";
    private const long SysOpenat2 = 437;
    private static readonly bool Arm64 = RuntimeInformation.ProcessArchitecture == Architecture.Arm64;
    private static readonly long SysStatx = Arm64 ? 291 : 332;
    private static readonly long SysGetdents64 = Arm64 ? 61 : 217;

    // Open flags with the same value on x86_64 and arm64 (O_DIRECTORY and O_NOFOLLOW differ, so they are not used).
    public const ulong O_RDONLY = 0, O_NOCTTY = 0x100, O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000, O_PATH = 0x200000;
    public const ulong RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_NO_SYMLINKS = 0x04, RESOLVE_BENEATH = 0x08;

    public const int EPERM = 1, ENOENT = 2, EINTR = 4, EAGAIN = 11, EACCES = 13, EXDEV = 18, ENOTDIR = 20, EINVAL = 22,
        ENAMETOOLONG = 36, ENOSYS = 38, ELOOP = 40;

    private const int AT_SYMLINK_NOFOLLOW = 0x100, AT_EMPTY_PATH = 0x1000;
    private const uint STATX_BASIC_STATS = 0x7ff;

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags, Mode, Resolve;
    }

    [DllImport(Libc, SetLastError = true)]
    private static extern long syscall(long number, long dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, ref OpenHow how, nuint size);

    [DllImport(Libc, SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport(Libc, EntryPoint = "syscall", SetLastError = true)]
    private static extern long syscall_statx(long number, long dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, long flags, long mask, [Out] byte[] buf);

    [DllImport(Libc, EntryPoint = "syscall", SetLastError = true)]
    private static extern long syscall_getdents64(long number, long fd, [Out] byte[] buf, long count);

    [DllImport(Libc, SetLastError = true)]
    private static extern nint readlink([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [Out] byte[] buf, nuint size);

    /// <summary>open(2) of a trusted path (the allocation directory itself), as an O_PATH handle.</summary>
    public static SafeFileHandle OpenPath(string path, out int errno)
    {
        int fd;
        do fd = open(path, (int)(O_PATH | O_CLOEXEC)); while (fd < 0 && Marshal.GetLastPInvokeError() == EINTR);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return new SafeFileHandle(fd, ownsHandle: fd >= 0);
    }

    /// <summary>
    /// A readable descriptor for the very file an O_PATH handle refers to: open(2) of its /proc/self/fd link, which
    /// the kernel follows to the same inode (no path is resolved again, so nothing can be swapped in between).
    /// </summary>
    public static SafeFileHandle Reopen(SafeFileHandle pathHandle, out int errno)
    {
        var self = $"/proc/self/fd/{Fd(pathHandle)}";
        int fd;
        do fd = open(self, (int)(O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)); while (fd < 0 && Marshal.GetLastPInvokeError() == EINTR);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return new SafeFileHandle(fd, ownsHandle: fd >= 0);
    }

    /// <summary>Where the kernel says an open handle's file is (its /proc/self/fd link), or null when it cannot say.</summary>
    public static string? PathOf(SafeFileHandle handle)
    {
        var buf = new byte[4096];
        var n = readlink($"/proc/self/fd/{Fd(handle)}", buf, (nuint)buf.Length);
        return n <= 0 || n >= buf.Length ? null : System.Text.Encoding.UTF8.GetString(buf, 0, (int)n);
    }

    /// <summary>openat2(2) of <paramref name="path"/> relative to <paramref name="dir"/>.</summary>
    public static SafeFileHandle Openat2(SafeFileHandle dir, string path, ulong flags, ulong resolve, out int errno)
    {
        var how = new OpenHow { Flags = flags, Resolve = resolve };
        long fd;
        do fd = syscall(SysOpenat2, Fd(dir), path, ref how, (nuint)Marshal.SizeOf<OpenHow>());
        while (fd < 0 && Marshal.GetLastPInvokeError() == EINTR);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return new SafeFileHandle((nint)fd, ownsHandle: fd >= 0);
    }

    /// <summary>fstat of an open handle.</summary>
    public static int Stat(SafeFileHandle file, out StatxResult result) => Statx(Fd(file), "", AT_EMPTY_PATH, out result);

    /// <summary>lstat of one entry (a single name, no slash) of an open directory.</summary>
    public static int StatEntry(SafeFileHandle dir, string name, out StatxResult result) => Statx(Fd(dir), name, AT_SYMLINK_NOFOLLOW, out result);

    private static int Statx(int dirfd, string path, int flags, out StatxResult result)
    {
        var buf = new byte[256];
        long rc;
        do rc = syscall_statx(SysStatx, dirfd, path, flags, STATX_BASIC_STATS, buf); while (rc < 0 && Marshal.GetLastPInvokeError() == EINTR);
        if (rc < 0)
        {
            result = default;
            return Marshal.GetLastPInvokeError();
        }
        // struct statx: stx_mode (u16) at 28, stx_ino at 32, stx_size at 40, stx_mtime {i64 sec, u32 nsec} at 112, dev major/minor at 136/140.
        result = new StatxResult(
            Mode: BitConverter.ToUInt16(buf, 28),
            Inode: BitConverter.ToUInt64(buf, 32),
            Size: BitConverter.ToInt64(buf, 40),
            ModTime: DateTime.UnixEpoch.AddSeconds(BitConverter.ToInt64(buf, 112)).AddTicks(BitConverter.ToUInt32(buf, 120) / 100),
            Device: ((ulong)BitConverter.ToUInt32(buf, 136) << 32) | BitConverter.ToUInt32(buf, 140));
        return 0;
    }

    /// <summary>The names in an open directory (without . and ..), read with getdents64 from the handle itself.</summary>
    public static List<string> ReadDirectory(SafeFileHandle dir, out int errno)
    {
        var names = new List<string>();
        var buf = new byte[32 * 1024];
        errno = 0;
        while (true)
        {
            var n = syscall_getdents64(SysGetdents64, Fd(dir), buf, buf.Length);
            if (n < 0)
            {
                errno = Marshal.GetLastPInvokeError();
                if (errno == EINTR) continue;
                return names;
            }
            if (n == 0) return names;
            // struct linux_dirent64: u64 d_ino, i64 d_off, u16 d_reclen, u8 d_type, char d_name[] (NUL-terminated).
            for (var pos = 0; pos < n;)
            {
                var reclen = BitConverter.ToUInt16(buf, pos + 16);
                var nameStart = pos + 19;
                var nameEnd = Array.IndexOf(buf, (byte)0, nameStart, pos + reclen - nameStart);
                var name = System.Text.Encoding.UTF8.GetString(buf, nameStart, (nameEnd < 0 ? pos + reclen : nameEnd) - nameStart);
                if (name is not ("." or "..")) names.Add(name);
                pos += reclen;
            }
        }
    }

    private static int Fd(SafeFileHandle h) => (int)h.DangerousGetHandle();
}

/// <summary>What statx reports about one file (<see cref="Mode"/> holds the S_IF* type bits and the permissions).</summary>
internal readonly record struct StatxResult(uint Mode, ulong Inode, long Size, DateTime ModTime, ulong Device)
{
    public const uint S_IFMT = 0xF000, S_IFSOCK = 0xC000, S_IFLNK = 0xA000, S_IFREG = 0x8000, S_IFBLK = 0x6000,
        S_IFDIR = 0x4000, S_IFCHR = 0x2000, S_IFIFO = 0x1000;

    public uint Type => Mode & S_IFMT;
    public bool IsDirectory => Type == S_IFDIR;
    public bool IsRegular => Type == S_IFREG;
}
