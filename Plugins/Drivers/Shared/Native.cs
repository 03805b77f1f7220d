using System.Runtime.InteropServices;

namespace Nomad.Drivers.Shared;

/// <summary>libc calls the driver needs beyond what .NET offers (x86_64 Linux numbers).</summary>
public static unsafe class Native
{
    private const string L = "libc";
    public const long SYS_pidfd_open = 434;
    public const int ESRCH = 3, EINTR = 4, EPERM = 1;
    public const int EPOLL_CLOEXEC = 0x80000, EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2;
    public const uint EPOLLIN = 0x1;
    public const int SIGINT = 2, SIGKILL = 9, SIGTERM = 15;
    public const int _SC_CLK_TCK = 2, _SC_PAGESIZE = 30;

    /// <summary><c>struct epoll_event</c> is packed on x86_64: 4 bytes of events, 8 of data.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 12)]
    public struct EpollEvent
    {
        [FieldOffset(0)] public uint Events;
        [FieldOffset(4)] public ulong Data;
    }

    [DllImport(L, SetLastError = true)] public static extern int kill(int pid, int sig);
    [DllImport(L, SetLastError = true)] public static extern long syscall(long number, long a1, long a2);
    [DllImport(L, SetLastError = true)] public static extern int close(int fd);
    [DllImport(L, SetLastError = true)] public static extern int epoll_create1(int flags);
    [DllImport(L, SetLastError = true)] public static extern int epoll_ctl(int epfd, int op, int fd, EpollEvent* ev);
    [DllImport(L, SetLastError = true)] public static extern int epoll_wait(int epfd, EpollEvent* events, int max, int timeout);
    [DllImport(L, SetLastError = true)] public static extern long sysconf(int name);

    public static int Errno => Marshal.GetLastPInvokeError();

    /// <summary>A pidfd for <paramref name="pid"/>, or -1 (gone, or a kernel before 5.3).</summary>
    public static int PidfdOpen(int pid) => (int)syscall(SYS_pidfd_open, pid, 0);

    /// <summary>kill(2); true when delivered.</summary>
    public static bool Kill(int pid, int sig) => kill(pid, sig) == 0;
}
