using System.Text;
using Nomad.Agent.Consensus;

namespace Nomad.Agent.Tests.Consensus;

/// <summary>Test FSM: appends each command (UTF-8 text) with its index; answers "ok:&lt;index&gt;:&lt;text&gt;".</summary>
internal sealed class ListStateMachine : IStateMachine
{
    private readonly Lock _gate = new();
    private readonly List<(ulong Index, string Value)> _entries = [];

    public int Restores { get; private set; }

    public ulong LastRestoredIndex { get; private set; }

    public IReadOnlyList<(ulong Index, string Value)> Entries
    {
        get { lock (_gate) return _entries.ToArray(); }
    }

    public IReadOnlyList<string> Values => Entries.Select(e => e.Value).ToArray();

    public object? Apply(ulong index, ReadOnlySpan<byte> command)
    {
        var text = Encoding.UTF8.GetString(command);
        lock (_gate) _entries.Add((index, text));
        return $"ok:{index}:{text}";
    }

    public void WriteSnapshot(Stream destination)
    {
        using var writer = new BinaryWriter(destination, Encoding.UTF8, leaveOpen: true);
        var entries = Entries;
        writer.Write(entries.Count);
        foreach (var (index, value) in entries)
        {
            writer.Write(index);
            writer.Write(value);
        }
    }

    public void RestoreSnapshot(Stream source, ulong index)
    {
        using var reader = new BinaryReader(source, Encoding.UTF8, leaveOpen: true);
        var count = reader.ReadInt32();
        var restored = new List<(ulong, string)>(count);
        for (var i = 0; i < count; i++)
            restored.Add((reader.ReadUInt64(), reader.ReadString()));
        lock (_gate)
        {
            _entries.Clear();
            _entries.AddRange(restored);
        }
        Restores++;
        LastRestoredIndex = index;
    }
}
