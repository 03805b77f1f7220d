using System.Text;

namespace Nomad.Agent.Gossip;

/// <summary>
/// Compact binary codec. A packet is: magic 'G' (0x47), version 1, message count (1 byte),
/// then the messages back to back. A message is a type byte followed by its fields:
/// unsigned integers as 7-bit varints, strings as varint length + UTF-8, booleans as one byte,
/// tag maps as varint count + key/value strings. Messages are self-delimiting, so pre-encoded
/// broadcasts are packed into a packet by plain concatenation.
/// </summary>
public static class MessageCodec
{
    private const byte Magic = 0x47;
    private const byte Version = 1;
    public const int PacketHeaderSize = 3;
    public const int MaxMessagesPerPacket = 255;

    private enum Kind : byte { Ping = 1, IndirectPing, Ack, Nack, Suspect, Alive, Dead, PushPull }

    public static byte[] EncodeMessage(GossipMessage message)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            switch (message)
            {
                case PingMessage p:
                    w.Write((byte)Kind.Ping); w.Write7BitEncodedInt((int)p.SeqNo); w.Write(p.Target); w.Write(p.Source);
                    break;
                case IndirectPingMessage p:
                    w.Write((byte)Kind.IndirectPing); w.Write7BitEncodedInt((int)p.SeqNo); w.Write(p.Target);
                    w.Write(p.TargetAddress); w.Write(p.WantNack); w.Write(p.Source);
                    break;
                case AckMessage a:
                    w.Write((byte)Kind.Ack); w.Write7BitEncodedInt((int)a.SeqNo);
                    break;
                case NackMessage n:
                    w.Write((byte)Kind.Nack); w.Write7BitEncodedInt((int)n.SeqNo);
                    break;
                case SuspectMessage s:
                    w.Write((byte)Kind.Suspect); w.Write7BitEncodedInt((int)s.Incarnation); w.Write(s.Node); w.Write(s.From);
                    break;
                case AliveMessage a:
                    w.Write((byte)Kind.Alive); w.Write7BitEncodedInt((int)a.Incarnation); w.Write(a.Node); w.Write(a.Address);
                    WriteTags(w, a.Tags);
                    break;
                case DeadMessage d:
                    w.Write((byte)Kind.Dead); w.Write7BitEncodedInt((int)d.Incarnation); w.Write(d.Node); w.Write(d.From);
                    break;
                case PushPullMessage pp:
                    w.Write((byte)Kind.PushPull); w.Write(pp.Join); w.Write7BitEncodedInt(pp.States.Count);
                    foreach (var e in pp.States)
                    {
                        w.Write(e.Name); w.Write(e.Address); w.Write7BitEncodedInt((int)e.Incarnation); w.Write((byte)e.State);
                        WriteTags(w, e.Tags);
                    }
                    break;
                default:
                    throw new ArgumentException($"unknown gossip message {message.GetType().Name}");
            }
        }
        return ms.ToArray();
    }

    /// <summary>Packs already-encoded messages into one packet.</summary>
    public static byte[] Pack(IReadOnlyList<byte[]> encoded)
    {
        if (encoded.Count > MaxMessagesPerPacket) throw new ArgumentException("too many messages for one packet");
        var packet = new byte[PacketHeaderSize + encoded.Sum(e => e.Length)];
        packet[0] = Magic; packet[1] = Version; packet[2] = (byte)encoded.Count;
        var at = PacketHeaderSize;
        foreach (var e in encoded) { e.CopyTo(packet, at); at += e.Length; }
        return packet;
    }

    public static byte[] Encode(params GossipMessage[] messages) => Pack(messages.Select(EncodeMessage).ToList());

    /// <summary>Decodes a packet; throws <see cref="FormatException"/> when it is malformed.</summary>
    public static List<GossipMessage> Decode(byte[] packet)
    {
        if (packet.Length < PacketHeaderSize || packet[0] != Magic || packet[1] != Version)
            throw new FormatException("not a gossip packet");
        var result = new List<GossipMessage>(packet[2]);
        try
        {
            using var r = new BinaryReader(new MemoryStream(packet, PacketHeaderSize, packet.Length - PacketHeaderSize), Encoding.UTF8);
            for (var i = 0; i < packet[2]; i++) result.Add(ReadMessage(r));
        }
        catch (EndOfStreamException e) { throw new FormatException("truncated gossip packet", e); }
        return result;
    }

    private static GossipMessage ReadMessage(BinaryReader r)
    {
        var kind = (Kind)r.ReadByte();
        uint U() => (uint)r.Read7BitEncodedInt();
        return kind switch
        {
            Kind.Ping => new PingMessage(U(), r.ReadString(), r.ReadString()),
            Kind.IndirectPing => new IndirectPingMessage(U(), r.ReadString(), r.ReadString(), r.ReadBoolean(), r.ReadString()),
            Kind.Ack => new AckMessage(U()),
            Kind.Nack => new NackMessage(U()),
            Kind.Suspect => new SuspectMessage(U(), r.ReadString(), r.ReadString()),
            Kind.Alive => new AliveMessage(U(), r.ReadString(), r.ReadString(), ReadTags(r)),
            Kind.Dead => new DeadMessage(U(), r.ReadString(), r.ReadString()),
            Kind.PushPull => ReadPushPull(r),
            _ => throw new FormatException($"unknown gossip message type {(byte)kind}"),
        };
    }

    private static PushPullMessage ReadPushPull(BinaryReader r)
    {
        var join = r.ReadBoolean();
        var count = r.Read7BitEncodedInt();
        if (count < 0 || count > 1_000_000) throw new FormatException("bad push-pull count");
        var states = new List<PushPullEntry>(count);
        for (var i = 0; i < count; i++)
        {
            var name = r.ReadString(); var addr = r.ReadString(); var inc = (uint)r.Read7BitEncodedInt();
            var state = (MemberState)r.ReadByte();
            if (state > MemberState.Left) throw new FormatException("bad member state");
            states.Add(new PushPullEntry(name, addr, inc, state, ReadTags(r)));
        }
        return new PushPullMessage(join, states);
    }

    private static void WriteTags(BinaryWriter w, IReadOnlyDictionary<string, string> tags)
    {
        w.Write7BitEncodedInt(tags.Count);
        foreach (var (k, v) in tags.OrderBy(t => t.Key, StringComparer.Ordinal)) { w.Write(k); w.Write(v); }
    }

    private static Dictionary<string, string> ReadTags(BinaryReader r)
    {
        var n = r.Read7BitEncodedInt();
        if (n < 0 || n > 10_000) throw new FormatException("bad tag count");
        var tags = new Dictionary<string, string>(n);
        for (var i = 0; i < n; i++) tags[r.ReadString()] = r.ReadString();
        return tags;
    }
}
