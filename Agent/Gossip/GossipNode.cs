using System.Threading.Channels;
using Nomad.Agent.Logging;

namespace Nomad.Agent.Gossip;

/// <summary>
/// A SWIM member with memberlist's refinements (Lifeguard awareness and dynamic suspicion,
/// piggybacked dissemination, push-pull sync, TCP fallback ping) and Serf's reconnect/reap.
/// All state sits behind one lock; transport and timer callbacks take it.
/// </summary>
public sealed class GossipNode : IGossipReceiver, IDisposable
{
    private sealed class NodeState
    {
        public required string Name;
        public required string Address;
        public uint Incarnation;
        public MemberState State;
        public IReadOnlyDictionary<string, string> Tags = new Dictionary<string, string>();
        public TimeSpan StateChange;

        public Member Snapshot() => new(Name, Address, State, Incarnation, Tags);
    }

    private sealed class AckHandler
    {
        public Action? OnAck;
        public Action? OnNack;
    }

    private readonly object _gate = new();
    private readonly GossipOptions _o;
    private readonly IGossipTransport _transport;
    private readonly IGossipClock _clock;
    private readonly Logger _log;
    private readonly Random _rng;
    private readonly Dictionary<string, NodeState> _nodes = new(StringComparer.Ordinal);
    private readonly List<NodeState> _probeList = new();
    private int _probeIndex;
    private readonly Dictionary<string, Suspicion> _suspicions = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, AckHandler> _acks = new();
    private readonly BroadcastQueue _broadcasts = new();
    private readonly Awareness _awareness;
    private readonly Channel<MemberEvent> _events = Channel.CreateUnbounded<MemberEvent>();
    private readonly List<IDisposable> _timers = new();
    private readonly NodeState _self;
    private uint _seq;
    private bool _started, _leaving, _stopped;

    public GossipNode(GossipOptions options, IGossipTransport transport, IGossipClock? clock = null, Logger? logger = null)
    {
        _o = options;
        _transport = transport;
        _clock = clock ?? SystemGossipClock.Instance;
        _log = logger ?? Logger.Null;
        _rng = options.Seed is { } seed ? new Random(seed) : new Random();
        _awareness = new Awareness(options.AwarenessMaxMultiplier);
        _self = new NodeState
        {
            Name = options.Name, Address = transport.LocalAddress, State = MemberState.Alive,
            Tags = new Dictionary<string, string>(options.Tags),
        };
    }

    public string Name => _o.Name;
    public string Address => _self.Address;
    public GossipOptions Options => _o;

    /// <summary>Membership events in order; unbounded, read it or ignore it.</summary>
    public ChannelReader<MemberEvent> Events => _events.Reader;

    /// <summary>Raised synchronously (under the node's lock) for each membership event.</summary>
    public event Action<MemberEvent>? MemberChanged;

    public uint Incarnation { get { lock (_gate) return _self.Incarnation; } }

    /// <summary>Lifeguard local health score (0 = healthy).</summary>
    public int HealthScore { get { lock (_gate) return _awareness.Score; } }

    public IReadOnlyList<Member> Members
    {
        get { lock (_gate) return _nodes.Values.Select(n => n.Snapshot()).OrderBy(m => m.Name, StringComparer.Ordinal).ToList(); }
    }

    public Member? Find(string name)
    {
        lock (_gate) return _nodes.TryGetValue(name, out var n) ? n.Snapshot() : null;
    }

    public int AliveCount
    {
        get { lock (_gate) return _nodes.Values.Count(n => n.State is MemberState.Alive or MemberState.Suspect); }
    }

    public void Start()
    {
        lock (_gate)
        {
            if (_started) throw new InvalidOperationException("gossip node already started");
            _started = true;
            _self.StateChange = _clock.Now;
            _nodes[_self.Name] = _self;
            _probeList.Add(_self);
            Emit(MemberEventKind.Join, _self);
            _transport.Start(this);
            // Stagger the first tick of each loop so a cluster started at once does not tick in lockstep.
            Every(() => _o.GossipInterval, GossipTick, Stagger(_o.GossipInterval));
            Every(() => _o.ScaledPushPullInterval(_nodes.Count), PushPullTick, Stagger(_o.PushPullInterval));
            Every(() => _o.ReconnectInterval, ReconnectTick, Stagger(_o.ReconnectInterval));
            Every(() => _o.ReapInterval, ReapTick, Stagger(_o.ReapInterval));
            ScheduleProbe(Stagger(_o.ProbeInterval));
        }
    }

    /// <summary>Push-pull with each address; completes with how many answered.</summary>
    public Task<int> JoinAsync(IEnumerable<string> addresses)
    {
        var list = addresses.Where(a => a != _self.Address).ToList();
        var tcs = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (list.Count == 0) { tcs.SetResult(0); return tcs.Task; }
        var remaining = list.Count; var ok = 0;
        foreach (var addr in list)
        {
            byte[] req;
            lock (_gate) req = MessageCodec.Encode(LocalState(join: true));
            _transport.Request(addr, req, _o.TcpTimeout, resp =>
            {
                var merged = resp is not null && MergeReply(resp);
                lock (_gate)
                {
                    if (merged) ok++;
                    else _log.Warn($"failed to join {addr}");
                    if (--remaining == 0) tcs.TrySetResult(ok);
                }
            });
        }
        return tcs.Task;
    }

    /// <summary>Replaces this node's tags and gossips them with a bumped incarnation.</summary>
    public void UpdateTags(IReadOnlyDictionary<string, string> tags)
    {
        lock (_gate)
        {
            _self.Tags = new Dictionary<string, string>(tags);
            _self.Incarnation++;
            BroadcastSelfAlive();
            Emit(MemberEventKind.Update, _self);
        }
    }

    /// <summary>
    /// Broadcasts the leave intent and completes when it has been retransmitted its full count
    /// (or <paramref name="timeout"/> passed). Call <see cref="Shutdown"/> afterwards.
    /// </summary>
    public Task LeaveAsync(TimeSpan timeout)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_leaving || _stopped) { tcs.TrySetResult(); return tcs.Task; }
            _leaving = true;
            _self.Incarnation++;
            var dead = new DeadMessage(_self.Incarnation, _self.Name, _self.Name);
            _self.State = MemberState.Left;
            _self.StateChange = _clock.Now;
            var anyoneElse = _nodes.Values.Any(n => n != _self && n.State is MemberState.Alive or MemberState.Suspect);
            _broadcasts.Enqueue(_self.Name, MessageCodec.EncodeMessage(dead), () => tcs.TrySetResult());
            if (!anyoneElse) tcs.TrySetResult();
            _timers.Add(_clock.Schedule(timeout, () => tcs.TrySetResult()));
            _log.Info($"{_o.Name} leaving the gossip pool");
        }
        return tcs.Task;
    }

    /// <summary>
    /// Serf's force-leave: marks another member as having left and gossips a leave intent on its behalf, so
    /// every member moves it from failed to left. A member that is in fact alive refutes it and comes back.
    /// With <paramref name="prune"/> it is also dropped from this node's member list at once (reaped).
    /// False when no such member is known (or it is this node).
    /// </summary>
    public bool ForceLeave(string name, bool prune)
    {
        lock (_gate)
        {
            if (name == _self.Name || !_nodes.TryGetValue(name, out var st)) return false;
            var intent = new DeadMessage(st.Incarnation, st.Name, st.Name);
            if (st.State != MemberState.Left) DeadNode(intent);
            else Broadcast(st.Name, intent);
            if (prune)
            {
                _nodes.Remove(st.Name);
                _probeList.Remove(st);
                _probeIndex = Math.Min(_probeIndex, _probeList.Count);
                Emit(MemberEventKind.Reap, st);
            }
            return true;
        }
    }

    /// <summary>Stops timers and the transport; peers will see a failure unless we left first.</summary>
    public void Shutdown()
    {
        lock (_gate)
        {
            if (_stopped) return;
            _stopped = true;
            foreach (var t in _timers) t.Dispose();
            _timers.Clear();
            foreach (var s in _suspicions.Values) s.Dispose();
            _suspicions.Clear();
            _acks.Clear();
            _broadcasts.Clear();
            _events.Writer.TryComplete();
        }
        _transport.Dispose();
    }

    public void Dispose() => Shutdown();

    // ---------------------------------------------------------------- timers

    private TimeSpan Stagger(TimeSpan interval) => TimeSpan.FromTicks((long)(_rng.NextDouble() * interval.Ticks));

    private void Every(Func<TimeSpan> interval, Action tick, TimeSpan first)
    {
        void Run()
        {
            lock (_gate)
            {
                if (_stopped) return;
                try { tick(); }
                catch (Exception e) { _log.Error($"gossip tick failed: {e}"); }
                if (!_stopped) _timers.Add(_clock.Schedule(interval(), Run));
            }
        }
        _timers.Add(_clock.Schedule(first, Run));
        PruneTimers();
    }

    private void ScheduleProbe(TimeSpan delay)
    {
        _timers.Add(_clock.Schedule(delay, () =>
        {
            lock (_gate)
            {
                if (_stopped) return;
                try { ProbeTick(); }
                catch (Exception e) { _log.Error($"gossip probe failed: {e}"); }
                // Lifeguard: an unhealthy node probes less often.
                if (!_stopped) ScheduleProbe(_awareness.Scale(_o.ProbeInterval));
            }
        }));
        PruneTimers();
    }

    private void PruneTimers()
    {
        // Fired one-shot handles accumulate; keep the list bounded.
        if (_timers.Count > 64) _timers.RemoveRange(0, _timers.Count - 16);
    }

    private IDisposable After(TimeSpan delay, Action action) => _clock.Schedule(delay, () =>
    {
        lock (_gate)
        {
            if (_stopped) return;
            try { action(); }
            catch (Exception e) { _log.Error($"gossip timer failed: {e}"); }
        }
    });

    // ---------------------------------------------------------------- probing

    private NodeState? NextProbeTarget()
    {
        for (var tries = 0; tries < _probeList.Count; tries++)
        {
            if (_probeIndex >= _probeList.Count)
            {
                // End of a round: reshuffle (memberlist's randomised round-robin).
                _probeIndex = 0;
                for (var i = _probeList.Count - 1; i > 0; i--)
                {
                    var j = _rng.Next(i + 1);
                    (_probeList[i], _probeList[j]) = (_probeList[j], _probeList[i]);
                }
            }
            var n = _probeList[_probeIndex++];
            if (n == _self || n.State is MemberState.Dead or MemberState.Left) continue;
            return n;
        }
        return null;
    }

    private void ProbeTick()
    {
        var target = NextProbeTarget();
        if (target is null) return;
        var seq = ++_seq;
        var interval = _awareness.Scale(_o.ProbeInterval);
        var timeout = _awareness.Scale(_o.ProbeTimeout);
        var acked = false; var nacks = 0; var expectedNacks = 0;
        var handler = new AckHandler();
        handler.OnAck = () =>
        {
            if (acked) return;
            acked = true;
            _awareness.Apply(-1);
        };
        handler.OnNack = () => nacks++;
        _acks[seq] = handler;
        SendWithPiggyback(target.Address, new PingMessage(seq, target.Name, _o.Name));

        After(timeout, () =>
        {
            if (acked) return;
            var peers = RandomNodes(_o.IndirectChecks, n => n != target && n.State == MemberState.Alive);
            foreach (var p in peers)
                SendWithPiggyback(p.Address, new IndirectPingMessage(seq, target.Name, target.Address, true, _o.Name));
            expectedNacks = peers.Count;
            if (!_o.DisableTcpPings)
            {
                var req = MessageCodec.Encode(new PingMessage(seq, target.Name, _o.Name));
                var left = interval - timeout;
                if (left > TimeSpan.Zero)
                    _transport.Request(target.Address, req, left, resp =>
                    {
                        if (resp is null) return;
                        try
                        {
                            if (MessageCodec.Decode(resp).OfType<AckMessage>().Any(a => a.SeqNo == seq))
                                lock (_gate)
                                {
                                    if (!acked) _log.Warn($"{target.Name} reachable over TCP but not UDP");
                                    handler.OnAck?.Invoke();
                                }
                        }
                        catch (FormatException) { }
                    });
            }
        });

        After(interval, () =>
        {
            _acks.Remove(seq);
            if (acked) return;
            // Lifeguard: missing nacks mean our own links are suspect, not just the target.
            _awareness.Apply(expectedNacks > 0 ? Math.Max(0, expectedNacks - nacks) : 1);
            // Also on a member already suspect: our own failed probe then confirms the suspicion (memberlist does
            // the same), which is what shrinks its timeout when others suspected it first.
            if (_nodes.TryGetValue(target.Name, out var cur) && cur == target && cur.State is MemberState.Alive or MemberState.Suspect)
            {
                _log.Debug($"{_clock.Now}: {_o.Name}: suspect {target.Name}, no ack");
                SuspectNode(new SuspectMessage(cur.Incarnation, cur.Name, _o.Name));
            }
        });
    }

    private List<NodeState> RandomNodes(int k, Func<NodeState, bool> filter)
    {
        var candidates = _nodes.Values.Where(n => n != _self && filter(n)).ToList();
        for (var i = 0; i < Math.Min(k, candidates.Count); i++)
        {
            var j = i + _rng.Next(candidates.Count - i);
            (candidates[i], candidates[j]) = (candidates[j], candidates[i]);
        }
        return candidates.Take(k).ToList();
    }

    // ---------------------------------------------------------------- gossip & push-pull

    private void GossipTick()
    {
        if (_broadcasts.Count == 0) return;
        var now = _clock.Now;
        var targets = RandomNodes(_o.GossipNodes, n =>
            n.State is MemberState.Alive or MemberState.Suspect ||
            (n.State == MemberState.Dead && now - n.StateChange < _o.GossipToTheDeadTime));
        foreach (var t in targets)
        {
            var msgs = _broadcasts.Take(_o.MaxPacketSize - MessageCodec.PacketHeaderSize, MessageCodec.MaxMessagesPerPacket, RetransmitLimit());
            if (msgs.Count == 0) return;
            _transport.SendPacket(t.Address, MessageCodec.Pack(msgs));
        }
    }

    private int RetransmitLimit() => _o.RetransmitLimit(_nodes.Count);

    private void PushPullTick()
    {
        var peer = RandomNodes(1, n => n.State == MemberState.Alive).FirstOrDefault();
        if (peer is not null) PushPull(peer.Address, join: false);
    }

    /// <summary>Serf's reconnect: occasionally push-pull with a failed member so partitions heal.</summary>
    private void ReconnectTick()
    {
        var failed = _nodes.Values.Where(n => n.State == MemberState.Dead).ToList();
        if (failed.Count == 0) return;
        var alive = _nodes.Values.Count(n => n.State is MemberState.Alive or MemberState.Suspect);
        var prob = (double)failed.Count / Math.Max(1, alive);
        if (_rng.NextDouble() > prob) return;
        var pick = failed[_rng.Next(failed.Count)];
        PushPull(pick.Address, join: false);
    }

    private void PushPull(string address, bool join)
    {
        var req = MessageCodec.Encode(LocalState(join));
        _transport.Request(address, req, _o.TcpTimeout, resp =>
        {
            if (resp is not null) MergeReply(resp);
        });
    }

    private PushPullMessage LocalState(bool join) => new(join,
        _nodes.Values.Select(n => new PushPullEntry(n.Name, n.Address, n.Incarnation, n.State, n.Tags)).ToList());

    private bool MergeReply(byte[] resp)
    {
        try
        {
            var msgs = MessageCodec.Decode(resp);
            lock (_gate)
            {
                if (_stopped) return false;
                var merged = false;
                foreach (var pp in msgs.OfType<PushPullMessage>()) { Merge(pp); merged = true; }
                return merged;
            }
        }
        catch (FormatException e)
        {
            _log.Warn($"bad push-pull reply: {e.Message}");
            return false;
        }
    }

    private void Merge(PushPullMessage pp)
    {
        foreach (var r in pp.States)
        {
            switch (r.State)
            {
                case MemberState.Alive:
                    AliveNode(new AliveMessage(r.Incarnation, r.Name, r.Address, r.Tags));
                    break;
                case MemberState.Left:
                    DeadNode(new DeadMessage(r.Incarnation, r.Name, r.Name));
                    break;
                default:
                    // A remote "dead" only makes us suspect: we have not seen it fail ourselves.
                    SuspectNode(new SuspectMessage(r.Incarnation, r.Name, _o.Name));
                    break;
            }
        }
    }

    // ---------------------------------------------------------------- receiving

    void IGossipReceiver.OnPacket(string from, byte[] payload)
    {
        List<GossipMessage> msgs;
        try { msgs = MessageCodec.Decode(payload); }
        catch (FormatException e) { _log.Warn($"dropping bad gossip packet from {from}: {e.Message}"); return; }
        lock (_gate)
        {
            if (_stopped) return;
            foreach (var m in msgs)
            {
                try { Handle(from, m); }
                catch (Exception e) { _log.Error($"gossip message {m.GetType().Name} from {from} failed: {e}"); }
            }
        }
    }

    byte[]? IGossipReceiver.OnRequest(string from, byte[] payload)
    {
        List<GossipMessage> msgs;
        try { msgs = MessageCodec.Decode(payload); }
        catch (FormatException) { return null; }
        lock (_gate)
        {
            if (_stopped) return null;
            foreach (var m in msgs)
            {
                switch (m)
                {
                    case PingMessage p when p.Target.Length == 0 || p.Target == _o.Name:
                        return MessageCodec.Encode(new AckMessage(p.SeqNo));
                    case PushPullMessage pp:
                        var reply = MessageCodec.Encode(LocalState(false));
                        Merge(pp);
                        return reply;
                }
            }
            return null;
        }
    }

    private void Handle(string from, GossipMessage m)
    {
        switch (m)
        {
            case PingMessage p:
                if (p.Target.Length > 0 && p.Target != _o.Name) return; // misrouted probe
                SendWithPiggyback(from, new AckMessage(p.SeqNo));
                break;
            case IndirectPingMessage ip:
                HandleIndirectPing(from, ip);
                break;
            case AckMessage a:
                if (_acks.TryGetValue(a.SeqNo, out var h)) h.OnAck?.Invoke();
                break;
            case NackMessage n:
                if (_acks.TryGetValue(n.SeqNo, out var hn)) hn.OnNack?.Invoke();
                break;
            case AliveMessage a:
                AliveNode(a);
                break;
            case SuspectMessage s:
                SuspectNode(s);
                break;
            case DeadMessage d:
                DeadNode(d);
                break;
            case PushPullMessage:
                break; // only over the reliable channel
        }
    }

    private void HandleIndirectPing(string from, IndirectPingMessage ip)
    {
        var seq = ++_seq;
        var done = false;
        _acks[seq] = new AckHandler
        {
            OnAck = () =>
            {
                if (done) return;
                done = true;
                SendWithPiggyback(from, new AckMessage(ip.SeqNo));
            },
        };
        SendWithPiggyback(ip.TargetAddress, new PingMessage(seq, ip.Target, _o.Name));
        After(_o.ProbeTimeout, () =>
        {
            if (!done && ip.WantNack) SendWithPiggyback(from, new NackMessage(ip.SeqNo));
        });
        After(_o.ProbeInterval, () => _acks.Remove(seq));
    }

    private void SendWithPiggyback(string address, GossipMessage primary)
    {
        var first = MessageCodec.EncodeMessage(primary);
        var extra = _broadcasts.Take(_o.MaxPacketSize - MessageCodec.PacketHeaderSize - first.Length,
            MessageCodec.MaxMessagesPerPacket - 1, RetransmitLimit());
        extra.Insert(0, first);
        _transport.SendPacket(address, MessageCodec.Pack(extra));
    }

    // ---------------------------------------------------------------- state machine

    private void AliveNode(AliveMessage a)
    {
        if (a.Node == _o.Name)
        {
            if (_leaving) return;
            if (a.Incarnation < _self.Incarnation) return;
            if (a.Incarnation == _self.Incarnation && a.Address == _self.Address && TagsEqual(a.Tags, _self.Tags)) return;
            // Someone claims a newer or different version of us (e.g. we restarted): refute.
            Refute(a.Incarnation);
            return;
        }
        if (!_nodes.TryGetValue(a.Node, out var st))
        {
            st = new NodeState
            {
                Name = a.Node, Address = a.Address, Incarnation = a.Incarnation, State = MemberState.Alive,
                Tags = new Dictionary<string, string>(a.Tags), StateChange = _clock.Now,
            };
            _nodes[a.Node] = st;
            // Insert at a random position of the probe list (memberlist does the same).
            _probeList.Insert(_rng.Next(_probeList.Count + 1), st);
            Broadcast(a.Node, a);
            Emit(MemberEventKind.Join, st);
            return;
        }
        if (a.Incarnation <= st.Incarnation) return;
        if (_suspicions.Remove(a.Node, out var susp)) susp.Dispose();
        var wasDown = st.State is MemberState.Dead or MemberState.Left;
        var tagsChanged = !TagsEqual(st.Tags, a.Tags) || st.Address != a.Address;
        st.Incarnation = a.Incarnation;
        st.Address = a.Address;
        st.Tags = new Dictionary<string, string>(a.Tags);
        if (st.State != MemberState.Alive) { st.State = MemberState.Alive; st.StateChange = _clock.Now; }
        Broadcast(a.Node, a);
        if (wasDown) Emit(MemberEventKind.Join, st);
        else if (tagsChanged) Emit(MemberEventKind.Update, st);
    }

    private void SuspectNode(SuspectMessage s)
    {
        if (!_nodes.TryGetValue(s.Node, out var st)) return;
        if (s.Incarnation < st.Incarnation) return;
        if (_suspicions.TryGetValue(s.Node, out var existing))
        {
            if (existing.Confirm(s.From)) Broadcast(s.Node, s);
            return;
        }
        if (st.State != MemberState.Alive) return;
        if (s.Node == _o.Name)
        {
            if (_leaving) return;
            _log.Debug($"{_clock.Now}: {_o.Name}: refuting suspicion from {s.From} inc {s.Incarnation}");
            Refute(s.Incarnation);
            return;
        }
        st.Incarnation = s.Incarnation;
        st.State = MemberState.Suspect;
        st.StateChange = _clock.Now;
        Broadcast(s.Node, s);

        var n = _nodes.Values.Count(x => x.State is MemberState.Alive or MemberState.Suspect);
        // memberlist: expect SuspicionMult - 2 independent confirmations; when the pool is too small to give that
        // many (n - 2 others besides us and the suspect), expect none, so the minimum timeout applies at once.
        var k = _o.SuspicionMult - 2;
        if (n - 2 < k) k = 0;
        var min = _o.SuspicionMinTimeout(n);
        var max = _o.SuspicionMaxTimeout(n);
        var inc = s.Incarnation;
        var name = s.Node;
        _suspicions[name] = new Suspicion(_clock, s.From, k, min, max, () =>
        {
            lock (_gate)
            {
                if (_stopped) return;
                if (_nodes.TryGetValue(name, out var cur) && cur.State == MemberState.Suspect && cur.Incarnation == inc)
                {
                    _log.Info($"{_clock.Now}: {_o.Name}: marking {name} as failed, suspect timeout reached");
                    DeadNode(new DeadMessage(inc, name, _o.Name));
                }
            }
        });
    }

    private void DeadNode(DeadMessage d)
    {
        if (!_nodes.TryGetValue(d.Node, out var st)) return;
        if (d.Incarnation < st.Incarnation) return;
        if (_suspicions.Remove(d.Node, out var susp)) susp.Dispose();
        if (st.State is MemberState.Left) return;
        // A failed member moves on to left only on a leave intent (its own, or a force-leave on its behalf).
        if (st.State is MemberState.Dead && d.Node != d.From) return;
        if (d.Node == _o.Name)
        {
            if (!_leaving) { Refute(d.Incarnation); return; }
            return; // our own leave intent echoed back
        }
        st.Incarnation = d.Incarnation;
        st.State = d.Node == d.From ? MemberState.Left : MemberState.Dead;
        st.StateChange = _clock.Now;
        Broadcast(d.Node, d);
        Emit(st.State == MemberState.Left ? MemberEventKind.Leave : MemberEventKind.Failed, st);
    }

    private void Refute(uint accusedIncarnation)
    {
        _self.Incarnation = Math.Max(_self.Incarnation, accusedIncarnation) + 1;
        // Lifeguard: being accused hints that our own links are unhealthy.
        _awareness.Apply(1);
        BroadcastSelfAlive();
    }

    private void BroadcastSelfAlive() =>
        Broadcast(_self.Name, new AliveMessage(_self.Incarnation, _self.Name, _self.Address, _self.Tags));

    private void Broadcast(string key, GossipMessage m) => _broadcasts.Enqueue(key, MessageCodec.EncodeMessage(m));

    private void ReapTick()
    {
        var now = _clock.Now;
        foreach (var n in _nodes.Values.ToList())
        {
            var limit = n.State switch
            {
                MemberState.Dead => _o.ReconnectTimeout,
                MemberState.Left => _o.TombstoneTimeout,
                _ => TimeSpan.MaxValue,
            };
            if (n == _self || limit == TimeSpan.MaxValue || now - n.StateChange <= limit) continue;
            _nodes.Remove(n.Name);
            _probeList.Remove(n);
            _probeIndex = Math.Min(_probeIndex, _probeList.Count);
            Emit(MemberEventKind.Reap, n);
        }
    }

    private void Emit(MemberEventKind kind, NodeState n)
    {
        var ev = new MemberEvent(kind, n.Snapshot(), _clock.Now);
        _events.Writer.TryWrite(ev);
        try { MemberChanged?.Invoke(ev); }
        catch (Exception e) { _log.Error($"member event handler failed: {e}"); }
    }

    private static bool TagsEqual(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
