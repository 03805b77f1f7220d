using System.Threading.Channels;

namespace Nomad.Contracts;

/// <summary>
/// One side of a streaming exec session carried as JSON-RPC notifications: frames sent from here are numbered
/// 0, 1, 2, ...; frames from the other side arrive numbered and are handed out in that order, whatever order the
/// JSON-RPC library dispatches notifications in. Used by <see cref="DriverServer"/> (driver side: reads
/// <see cref="ExecInput"/>, sends <see cref="ExecOutput"/>) and by the agent (the other way round).
/// </summary>
/// <typeparam name="TIn">what arrives from the other side.</typeparam>
public sealed class ExecStreamRelay<TIn> where TIn : class
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, TIn> _early = new();
    private readonly Channel<TIn> _ordered = Channel.CreateUnbounded<TIn>(new UnboundedChannelOptions { SingleReader = true });
    private long _next;
    private long _expected = -1;
    private long _sent = -1;

    /// <summary>How many frames this side has numbered for sending.</summary>
    public long Sent => Interlocked.Read(ref _sent) + 1;

    /// <summary>The number for the next frame this side sends.</summary>
    public long NextSendSeq() => Interlocked.Increment(ref _sent);

    /// <summary>A frame from the other side, numbered <paramref name="seq"/> (duplicates and stale numbers are ignored).</summary>
    public void Deliver(long seq, TIn frame)
    {
        lock (_lock)
        {
            if (seq < _next || !_early.TryAdd(seq, frame)) return;
            while (_early.Remove(_next, out var f))
            {
                _ordered.Writer.TryWrite(f);
                _next++;
            }
            if (_expected >= 0 && _next >= _expected) _ordered.Writer.TryComplete();
        }
    }

    /// <summary>The other side sent <paramref name="total"/> frames in all: reading ends once they are all handed out.</summary>
    public void ExpectTotal(long total)
    {
        lock (_lock)
        {
            _expected = total;
            if (_next >= total) _ordered.Writer.TryComplete();
        }
    }

    /// <summary>Ends reading now (the session is over, whatever is missing).</summary>
    public void Complete() => _ordered.Writer.TryComplete();

    /// <summary>The next frame in order; null when reading has ended.</summary>
    public async ValueTask<TIn?> ReadAsync(CancellationToken ct)
    {
        while (await _ordered.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
            if (_ordered.Reader.TryRead(out var f)) return f;
        return null;
    }
}
