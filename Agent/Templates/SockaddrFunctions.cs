using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Nomad.Agent.Templates;

/// <summary>
/// The basics of consul-template's <c>sockaddr</c> (go-sockaddr's template functions): its arguments form a template
/// of their own (<c>{{ sockaddr "GetInterfaceIP \"eth0\"" }}</c>) run with GetPrivateIP(s), GetPublicIP(s) and
/// GetInterfaceIP(s) over this host's interfaces that are up. go-sockaddr's sort/filter pipeline language is not offered.
/// </summary>
public static class SockaddrFunctions
{
    private static readonly Dictionary<string, TemplateFunction> Functions = new TemplateFunction[]
    {
        TemplateFunction.Fixed("GetPrivateIP", 0, _ => Addresses(null).FirstOrDefault(IsPrivate)?.ToString() ?? ""),
        TemplateFunction.Fixed("GetPrivateIPs", 0, _ => string.Join(" ", Addresses(null).Where(IsPrivate))),
        TemplateFunction.Fixed("GetPublicIP", 0, _ => Addresses(null).FirstOrDefault(a => !IsPrivate(a))?.ToString() ?? ""),
        TemplateFunction.Fixed("GetPublicIPs", 0, _ => string.Join(" ", Addresses(null).Where(a => !IsPrivate(a)))),
        TemplateFunction.Fixed("GetInterfaceIP", 1, a => Addresses(Args.String(a, 0)).FirstOrDefault()?.ToString()
            ?? throw new TemplateFunctionException($"No IP addresses found on interface {GoFmt.Quote(Args.String(a, 0))}")),
        TemplateFunction.Fixed("GetInterfaceIPs", 1, a => string.Join(" ", Addresses(Args.String(a, 0)))),
    }.ToDictionary(f => f.Name);

    public static TemplateFunction Sockaddr { get; } = TemplateFunction.Varargs("sockaddr", 0, args =>
    {
        var text = "{{ " + string.Join(" ", args.Select(a => a as string ?? GoFmt.ToText(a))) + " }}";
        try
        {
            return GoTemplate.Parse("sockaddr", text, new TemplateOptions { Functions = Functions }).Execute(null);
        }
        catch (TemplateException e)
        {
            throw new TemplateFunctionException(e.Message);
        }
    });

    /// <summary>IPv4 addresses of up interfaces (all non-loopback ones, or the named one), in interface order.</summary>
    private static List<IPAddress> Addresses(string? name) =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus is OperationalStatus.Up or OperationalStatus.Unknown)
            .Where(n => name is null ? n.NetworkInterfaceType != NetworkInterfaceType.Loopback : n.Name == name)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses.Select(u => u.Address))
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork)
            .ToList();

    /// <summary>RFC 1918 and RFC 6598 (carrier-grade NAT) ranges, as go-sockaddr counts private IPv4.</summary>
    private static bool IsPrivate(IPAddress a)
    {
        var b = a.GetAddressBytes();
        return b[0] == 10 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168) || (b[0] == 100 && b[1] is >= 64 and <= 127);
    }
}
