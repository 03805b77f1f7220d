using System.Text.Json;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Consensus;

/// <summary>The FSM: decodes committed commands and applies them to the <see cref="StateStore"/>.</summary>
public sealed class NomadStateMachine(StateStore store) : IStateMachine
{
    public static ReadOnlyMemory<byte> Encode(Command command) => UnpooledJson.Serialize(command, StateJson.Options);

    public object? Apply(ulong index, ReadOnlySpan<byte> bytes)
    {
        var command = JsonSerializer.Deserialize<Command>(bytes, StateJson.Options)
            ?? throw new InvalidOperationException("empty command");
        store.Publish(StateApplier.Apply(store.Current, index, command), command);
        return null;
    }

    public void WriteSnapshot(Stream destination)
    {
        // Through a writer of our own: serializing to a Stream would grow a buffer from the shared pool (see UnpooledJson).
        using var writer = new Utf8JsonWriter(destination);
        JsonSerializer.Serialize(writer, StateSnapshotFile.From(store.Current), StateJson.Options);
    }

    public void RestoreSnapshot(Stream source, ulong index)
    {
        var file = JsonSerializer.Deserialize<StateSnapshotFile>(source, StateJson.Options)
            ?? throw new InvalidOperationException("empty snapshot");
        store.Publish(file.ToSnapshot() with { Index = index });
    }
}
