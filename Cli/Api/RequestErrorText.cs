using System.Net.Sockets;

namespace Nomad.Cli.Api;

/// <summary>
/// Words a failed request the way Go's HTTP client does, so scripts and people see what Nomad would print:
/// <c>Get "http://127.0.0.1:4646/v1/nodes": dial tcp 127.0.0.1:4646: connect: connection refused</c>.
/// </summary>
public static class RequestErrorText
{
    public static string Describe(HttpMethod method, Uri url, Exception error) =>
        $"{GoMethod(method)} \"{url.AbsoluteUri}\": {Cause(url, error)}";

    private static string Cause(Uri url, Exception error)
    {
        if (error is TaskCanceledException or TimeoutException)
            return "context deadline exceeded (Client.Timeout exceeded while awaiting headers)";

        var socket = Innermost<SocketException>(error);
        var dialAddress = $"{url.Host}:{url.Port}";
        return socket?.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => $"dial tcp {dialAddress}: connect: connection refused",
            SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => $"dial tcp: lookup {url.IdnHost}: no such host",
            SocketError.TimedOut => $"dial tcp {dialAddress}: i/o timeout",
            SocketError.NetworkUnreachable => $"dial tcp {dialAddress}: connect: network is unreachable",
            SocketError.HostUnreachable => $"dial tcp {dialAddress}: connect: no route to host",
            SocketError.ConnectionReset => "read: connection reset by peer",
            _ => OneLine(InnermostMessage(error)),
        };
    }

    /// <summary>Go prints the method title-cased: Get, Put.</summary>
    private static string GoMethod(HttpMethod method) =>
        method.Method.Length == 0 ? "" : method.Method[..1].ToUpperInvariant() + method.Method[1..].ToLowerInvariant();

    private static T? Innermost<T>(Exception error) where T : Exception
    {
        T? found = null;
        for (Exception? e = error; e is not null; e = e.InnerException)
            if (e is T match) found = match;
        return found;
    }

    private static string InnermostMessage(Exception error)
    {
        var e = error;
        while (e.InnerException is not null) e = e.InnerException;
        return e.Message;
    }

    public static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
