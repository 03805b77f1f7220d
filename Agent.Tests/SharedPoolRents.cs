using System.Diagnostics.Tracing;

namespace Nomad.Agent.Tests;

/// <summary>
/// Counts buffers of at least <see cref="MinBytes"/> rented from ArrayPool&lt;byte&gt;.Shared while it lives (every
/// thread of the process), through the runtime's ArrayPoolEventSource.
/// </summary>
internal sealed class SharedPoolRents : EventListener
{
    public const int MinBytes = 1 << 20;
    private int _count;
    private volatile bool _listening;

    public SharedPoolRents() => _listening = true;

    /// <summary>Large rents seen so far.</summary>
    public int Count => Volatile.Read(ref _count);

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "System.Buffers.ArrayPoolEventSource") EnableEvents(source, EventLevel.Verbose);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        // BufferRented(bufferId, bufferSize, poolId, bucketId)
        if (_listening && e.EventName == "BufferRented" && e.Payload is [_, int size, ..] && size >= MinBytes)
            Interlocked.Increment(ref _count);
    }

    public override void Dispose()
    {
        _listening = false;
        base.Dispose();
    }
}
