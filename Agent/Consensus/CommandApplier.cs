using Nomad.Agent.State;

namespace Nomad.Agent.Consensus;

/// <summary>Proposes typed commands through consensus.</summary>
public static class CommandApplier
{
    /// <summary>Replicates <paramref name="command"/>, waits until it is applied locally, and returns its index.</summary>
    public static async Task<ulong> ApplyAsync(this IConsensus consensus, Command command, CancellationToken ct = default)
    {
        var result = await consensus.ApplyAsync(NomadStateMachine.Encode(command), ct).ConfigureAwait(false);
        return result.Index;
    }
}
