using System.Net;
using DotNext.Buffers;
using DotNext.Net.Cluster.Consensus.Raft.Membership;

namespace Nomad.Agent.Consensus;

/// <summary>The voter set on disk (peers file next to the log), so a restarted server knows its cluster.</summary>
internal sealed class PersistentPeerStorage(string fileName) : PersistentClusterConfigurationStorage<EndPoint>(fileName)
{
    protected override void Encode(EndPoint address, ref BufferWriterSlim<byte> writer) => EndPointCodec.Encode(address, ref writer);

    protected override EndPoint Decode(ref SequenceReader reader) => EndPointCodec.Decode(ref reader);
}

/// <summary>The voter set in memory, for -dev.</summary>
internal sealed class InMemoryPeerStorage : InMemoryClusterConfigurationStorage<EndPoint>
{
    protected override void Encode(EndPoint address, ref BufferWriterSlim<byte> writer) => EndPointCodec.Encode(address, ref writer);

    protected override EndPoint Decode(ref SequenceReader reader) => EndPointCodec.Decode(ref reader);
}
