using System.Collections.Concurrent;

namespace Nomad.Drivers.Shared;

/// <summary>
/// Tells when processes exit, for any number of them, with one thread: each process's pidfd
/// (<c>pidfd_open</c>) sits in one epoll set, and a pidfd turns readable when its process exits
/// (a zombie counts). Works for processes that are not our children, such as shims re-attached after a
/// driver restart. No timers, no polling.
/// </summary>
internal sealed unsafe class ExitWatcher : IDisposable
{
    private readonly int _epoll;
    private readonly ConcurrentDictionary<ulong, (int Fd, TaskCompletionSource Done)> _watched = new();
    private long _next;
    private Thread? _thread;
    private readonly object _startLock = new();

    public ExitWatcher()
    {
        _epoll = Native.epoll_create1(Native.EPOLL_CLOEXEC);
        if (_epoll < 0) throw new IOException($"epoll_create1 failed (errno {Native.Errno})");
    }

    /// <summary>
    /// Completes when the process <paramref name="pid"/> that started at <paramref name="startTime"/> has exited;
    /// at once if it is already gone, a zombie, or the PID now belongs to another process.
    /// </summary>
    public Task WhenExited(int pid, ulong startTime)
    {
        int fd = Native.PidfdOpen(pid);
        if (fd < 0)
        {
            if (Native.Errno == Native.ESRCH) return Task.CompletedTask;
            throw new IOException($"pidfd_open({pid}) failed (errno {Native.Errno}); Linux 5.3 or later is required");
        }
        // Opened first, checked second: if the start time still matches now, the pidfd refers to our process.
        if (!ProcFs.IsAlive(pid, startTime)) { Native.close(fd); return Task.CompletedTask; }

        var key = (ulong)Interlocked.Increment(ref _next);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _watched[key] = (fd, done);
        EnsureThread();
        var ev = new Native.EpollEvent { Events = Native.EPOLLIN, Data = key };
        if (Native.epoll_ctl(_epoll, Native.EPOLL_CTL_ADD, fd, &ev) < 0)
        {
            _watched.TryRemove(key, out _);
            Native.close(fd);
            throw new IOException($"epoll_ctl failed (errno {Native.Errno})");
        }
        return done.Task;
    }

    private void EnsureThread()
    {
        if (_thread is not null) return;
        lock (_startLock)
        {
            if (_thread is not null) return;
            _thread = new Thread(Loop) { IsBackground = true, Name = "exit watcher" };
            _thread.Start();
        }
    }

    private void Loop()
    {
        const int Max = 64;
        var events = stackalloc Native.EpollEvent[Max];
        while (true)
        {
            int n = Native.epoll_wait(_epoll, events, Max, -1);
            if (n < 0)
            {
                if (Native.Errno == Native.EINTR) continue;
                return; // closed by Dispose
            }
            for (int i = 0; i < n; i++)
            {
                if (!_watched.TryRemove(events[i].Data, out var w)) continue;
                Native.epoll_ctl(_epoll, Native.EPOLL_CTL_DEL, w.Fd, null);
                Native.close(w.Fd);
                w.Done.TrySetResult();
            }
        }
    }

    public void Dispose()
    {
        foreach (var (_, w) in _watched) Native.close(w.Fd);
        Native.close(_epoll);
    }
}
