namespace Nomad.Cli.Api;

/// <summary>
/// A failed API call, with a one-line message in the Go client's words, e.g.
/// <c>Get "http://127.0.0.1:4646/v1/nodes": dial tcp 127.0.0.1:4646: connect: connection refused</c> or
/// <c>Unexpected response code: 404 (node not found)</c>. Commands prefix it with what they were doing.
/// </summary>
public sealed class NomadApiException(string message, int? statusCode = null, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The HTTP status when the agent answered with an error; null when there was no answer.</summary>
    public int? StatusCode { get; } = statusCode;
}
