using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Nomad.Agent.Config;

namespace Nomad.Agent;

/// <summary>Where the agent listens and what it tells others, resolved from bind_addr, addresses, ports and advertise.</summary>
public sealed record AgentAddresses(IPEndPoint HttpBind, IPEndPoint RpcBind, IPEndPoint SerfBind, string HttpAdvertise, string RpcAdvertise, string SerfAdvertise)
{
    public static AgentAddresses Resolve(AgentConfig c)
    {
        var bind = c.BindAddr ?? "0.0.0.0";
        var http = Endpoint(c.Addresses.Http ?? bind, c.Ports.Http ?? 4646, "addresses.http");
        var rpc = Endpoint(c.Addresses.Rpc ?? bind, c.Ports.Rpc ?? 4647, "addresses.rpc");
        var serf = Endpoint(c.Addresses.Serf ?? bind, c.Ports.Serf ?? 4648, "addresses.serf");
        return new AgentAddresses(http, rpc, serf,
            Advertise(c.Advertise.Http, http), Advertise(c.Advertise.Rpc, rpc), Advertise(c.Advertise.Serf, serf));
    }

    private static IPEndPoint Endpoint(string address, int port, string field)
    {
        if (!IPAddress.TryParse(address, out var ip))
            throw new ConfigException($"{field}: \"{address}\" is not an IP address");
        return new IPEndPoint(ip, port);
    }

    /// <summary>An explicit advertise address wins; a wildcard bind advertises the first private IPv4 address.</summary>
    private static string Advertise(string? configured, IPEndPoint bound)
    {
        if (!string.IsNullOrEmpty(configured)) return configured.Contains(':') ? configured : $"{configured}:{bound.Port}";
        var ip = bound.Address.Equals(IPAddress.Any) || bound.Address.Equals(IPAddress.IPv6Any) ? FirstUsableAddress() : bound.Address;
        return $"{ip}:{bound.Port}";
    }

    private static IPAddress FirstUsableAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? IPAddress.Loopback;
}
