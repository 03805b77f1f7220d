using System.Text.Json;
using Nomad.Agent.State;

namespace Nomad.Agent.Consensus;

/// <summary>The FSM: decodes committed commands and applies them to the <see cref="StateStore"/>.</summary>
public sealed class NomadStateMachine(StateStore store) : IStateMachine
{
    public static byte[] Encode(Command command) => JsonSerializer.SerializeToUtf8Bytes(command, StateJson.Options);

    public object? Apply(ulong index, ReadOnlySpan<byte> bytes)
    {
        var command = JsonSerializer.Deserialize<Command>(bytes, StateJson.Options)
            ?? throw new InvalidOperationException("empty command");
        store.Publish(StateApplier.Apply(store.Current, index, command), command);
        return null;
    }

    public void WriteSnapshot(Stream destination) =>
        JsonSerializer.Serialize(destination, StateSnapshotFile.From(store.Current), StateJson.Options);

    public void RestoreSnapshot(Stream source, ulong index)
    {
        var file = JsonSerializer.Deserialize<StateSnapshotFile>(source, StateJson.Options)
            ?? throw new InvalidOperationException("empty snapshot");
        store.Publish(file.ToSnapshot() with { Index = index });
    }
}
