using System.Text.Json.Serialization;
using Nomad.Agent.Structs;

namespace Nomad.Agent.State;

/// <summary>
/// A change to the replicated state. Commands carry everything they need (timestamps included)
/// so that applying one is deterministic on every server.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "Type")]
[JsonDerivedType(typeof(NodeRegisterCommand), "NodeRegister")]
[JsonDerivedType(typeof(NodeStatusCommand), "NodeStatus")]
[JsonDerivedType(typeof(NodeDeregisterCommand), "NodeDeregister")]
public abstract record Command;

/// <summary>Registers a node or replaces its registration (fingerprints, drivers, status).</summary>
public sealed record NodeRegisterCommand(Node Node, NodeEvent? Event) : Command;

/// <summary>Moves a node to a status (ready, down, ...) with an optional event.</summary>
public sealed record NodeStatusCommand(string NodeID, string Status, long UpdatedAtUnix, NodeEvent? Event) : Command;

/// <summary>Removes nodes (garbage collection, or a client that deregisters).</summary>
public sealed record NodeDeregisterCommand(List<string> NodeIDs) : Command;
