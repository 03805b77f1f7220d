using System.Runtime.InteropServices;

namespace Nomad.Executor;

/// <summary>
/// The few libc calls the shim needs. In the NativeAOT build they are bound at link time
/// (<c>DirectPInvoke</c>), so the shim never dlopens anything at start.
/// </summary>
internal static unsafe partial class Libc
{
    private const string L = "libc";

    public const int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_APPEND = 0x400, O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;
    public const int PR_SET_CHILD_SUBREAPER = 36;
    public const int EINTR = 4, EAGAIN = 11, ESRCH = 3, ECHILD = 10;
    public const int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGKILL = 9, SIGPIPE = 13, SIGTERM = 15;
    public const int WNOHANG = 1;
    public const short POLLIN = 0x1, POLLERR = 0x8, POLLHUP = 0x10, POLLNVAL = 0x20;
    public const short POSIX_SPAWN_SETPGROUP = 0x02, POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08;
    public const int X_OK = 1;
    public const long SYS_pidfd_open = 434; // x86_64 and aarch64 alike
    public const int SEEK_END = 2;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd { public int Fd; public short Events; public short REvents; }

    [DllImport(L, SetLastError = true)] public static extern int setsid();
    [DllImport(L, SetLastError = true)] public static extern int getpid();
    [DllImport(L, SetLastError = true)] public static extern int pipe2(int* fds, int flags);
    [DllImport(L, SetLastError = true)] public static extern int open(byte* path, int flags, int mode);
    [DllImport(L, SetLastError = true)] public static extern int close(int fd);
    [DllImport(L, SetLastError = true)] public static extern int dup2(int oldFd, int newFd);
    [DllImport(L, SetLastError = true)] public static extern nint read(int fd, byte* buf, nint count);
    [DllImport(L, SetLastError = true)] public static extern nint write(int fd, byte* buf, nint count);
    [DllImport(L, SetLastError = true)] public static extern nint pread(int fd, byte* buf, nint count, long offset);
    [DllImport(L, SetLastError = true)] public static extern long lseek(int fd, long offset, int whence);
    [DllImport(L, SetLastError = true)] public static extern int kill(int pid, int sig);
    [DllImport(L, SetLastError = true)] public static extern int wait4(int pid, int* status, int options, void* rusage);
    [DllImport(L, SetLastError = true)] public static extern int poll(PollFd* fds, nuint nfds, int timeout);
    [DllImport(L, SetLastError = true)] public static extern long syscall(long number, long a1, long a2);
    [DllImport(L, SetLastError = true)] public static extern int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);
    [DllImport(L, SetLastError = true)] public static extern int access(byte* path, int mode);
    [DllImport(L, SetLastError = true)] public static extern nint signal(int sig, nint handler);
    public const int MADV_DONTNEED = 4;
    [DllImport(L, SetLastError = true)] public static extern int madvise(nint addr, nuint length, int advice);

    // Isolation (exec): namespaces, mounts, chroot, user.
    public const int CLONE_NEWNS = 0x00020000, CLONE_NEWUTS = 0x04000000, CLONE_NEWIPC = 0x08000000, CLONE_NEWPID = 0x20000000;
    public const ulong MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_REMOUNT = 32, MS_BIND = 4096, MS_REC = 16384, MS_PRIVATE = 1 << 18;
    public const int F_SETFD = 2, FD_CLOEXEC = 1;
    [DllImport(L, SetLastError = true)] public static extern int unshare(int flags);
    [DllImport(L, SetLastError = true)] public static extern int mount(byte* source, byte* target, byte* fstype, ulong flags, byte* data);
    [DllImport(L, SetLastError = true)] public static extern int chroot(byte* path);
    [DllImport(L, SetLastError = true)] public static extern int chdir(byte* path);
    [DllImport(L, SetLastError = true)] public static extern int setgroups(nuint size, uint* list);
    [DllImport(L, SetLastError = true)] public static extern int setgid(uint gid);
    [DllImport(L, SetLastError = true)] public static extern int setuid(uint uid);
    [DllImport(L, SetLastError = true)] public static extern int execve(byte* path, byte** argv, byte** envp);
    [DllImport(L, SetLastError = true)] public static extern int fcntl(int fd, int cmd, int arg);
    [DllImport(L, SetLastError = true)] public static extern int chown(byte* path, uint uid, uint gid);
    [DllImport(L, SetLastError = true)] public static extern int sethostname(byte* name, nuint len);
    [DllImport(L)] public static extern void _exit(int status);

    [DllImport(L)] public static extern int posix_spawn(int* pid, byte* path, void* fileActions, void* attr, byte** argv, byte** envp);
    [DllImport(L)] public static extern int posix_spawn_file_actions_init(void* fa);
    [DllImport(L)] public static extern int posix_spawn_file_actions_destroy(void* fa);
    [DllImport(L)] public static extern int posix_spawn_file_actions_adddup2(void* fa, int fd, int newFd);
    [DllImport(L)] public static extern int posix_spawn_file_actions_addopen(void* fa, int fd, byte* path, int flags, int mode);
    [DllImport(L)] public static extern int posix_spawn_file_actions_addchdir_np(void* fa, byte* path);
    [DllImport(L)] public static extern int posix_spawnattr_init(void* attr);
    [DllImport(L)] public static extern int posix_spawnattr_destroy(void* attr);
    [DllImport(L)] public static extern int posix_spawnattr_setflags(void* attr, short flags);
    [DllImport(L)] public static extern int posix_spawnattr_setpgroup(void* attr, int pgroup);
    [DllImport(L)] public static extern int posix_spawnattr_setsigmask(void* attr, void* sigset);
    [DllImport(L)] public static extern int posix_spawnattr_setsigdefault(void* attr, void* sigset);
    [DllImport(L)] public static extern int sigemptyset(void* set);
    [DllImport(L)] public static extern int sigfillset(void* set);
    [DllImport(L)] public static extern byte* strerror(int errnum);

    public static int Errno => Marshal.GetLastPInvokeError();

    public static string StrError(int errno) => Marshal.PtrToStringUTF8((nint)strerror(errno)) ?? $"errno {errno}";

    /// <summary>A NUL-terminated UTF-8 copy of <paramref name="s"/> in unmanaged memory (free with <see cref="Marshal.FreeHGlobal"/>).</summary>
    public static byte* Utf8(string s)
    {
        int n = System.Text.Encoding.UTF8.GetByteCount(s);
        var p = (byte*)Marshal.AllocHGlobal(n + 1);
        fixed (char* c = s) System.Text.Encoding.UTF8.GetBytes(c, s.Length, p, n);
        p[n] = 0;
        return p;
    }

    /// <summary>Writes all of <paramref name="data"/> to <paramref name="fd"/>, retrying on EINTR and short writes.</summary>
    public static bool WriteAll(int fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            int off = 0;
            while (off < data.Length)
            {
                nint w = write(fd, p + off, data.Length - off);
                if (w < 0) { if (Errno == EINTR) continue; return false; }
                off += (int)w;
            }
        }
        return true;
    }

    /// <summary>open(2) with a managed path; -1 and errno on failure.</summary>
    public static int Open(string path, int flags, int mode = 0)
    {
        var p = Utf8(path);
        try { return open(p, flags, mode); }
        finally { Marshal.FreeHGlobal((nint)p); }
    }

    public static bool IsExecutable(string path)
    {
        if (!File.Exists(path)) return false;
        var p = Utf8(path);
        try { return access(p, X_OK) == 0; }
        finally { Marshal.FreeHGlobal((nint)p); }
    }
}
