namespace Nomad.Agent.Structs;

/// <summary>A request named something that does not exist (HTTP 404).</summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>A request was malformed; the message names the field and the problem (HTTP 400).</summary>
public sealed class BadRequestException(string message) : Exception(message);

/// <summary>A request is not allowed (HTTP 403).</summary>
public sealed class PermissionDeniedException(string message) : Exception(message);

/// <summary>
/// The endpoint needs a role this agent does not run (a client's server list on a server-only agent, a server's
/// join on a client-only one): HTTP 501 "Invalid method", as Nomad answers.
/// </summary>
public sealed class RoleNotRunException() : Exception("Invalid method");
