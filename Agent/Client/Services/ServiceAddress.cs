using Nomad.Agent.Structs;

namespace Nomad.Agent.Client.Services;

/// <summary>
/// Where a service (or a check) of an allocation is reached, as Nomad's getAddress: the address mode picks whose
/// address it is (the host's for <c>auto</c>/<c>host</c>, the allocation's own network for <c>alloc</c> and
/// <c>driver</c>: no driver here has a network of its own, so the mapped port is used on the allocation's IP),
/// the port label picks the port. A port label that is a number is that port, allowed in every mode but
/// <c>host</c>. An explicit <c>address</c> keeps the port the mode gives.
/// </summary>
public static class ServiceAddress
{
    /// <summary>The address and port, or an error naming the problem (Nomad's wording).</summary>
    public static (string Address, int Port, string? Error) Resolve(
        Allocation alloc, string? taskName, string portLabel, string addressMode, string explicitAddress = "")
    {
        var networks = Networks(alloc, taskName);
        var ip = networks.Select(n => n.IP).FirstOrDefault(a => a.Length > 0) ?? "";
        (string, int, string?) Done(string address, int port) => (explicitAddress.Length > 0 ? explicitAddress : address, port, null);

        if (addressMode is "" or ServiceAddressModes.Auto) addressMode = ServiceAddressModes.Host;
        if (addressMode is not (ServiceAddressModes.Host or ServiceAddressModes.Alloc or ServiceAddressModes.Driver))
            return ("", 0, $"invalid address mode \"{addressMode}\"");
        if (portLabel.Length == 0) return Done(ip, 0);

        var numeric = int.TryParse(portLabel, out var number) && number > 0;
        if (numeric)
            return addressMode == ServiceAddressModes.Host
                ? ("", 0, $"invalid port \"{portLabel}\": port label not found")
                : Done(ip, number);
        foreach (var n in networks)
            foreach (var p in (n.ReservedPorts ?? []).Concat(n.DynamicPorts ?? []))
                if (p.Label == portLabel)
                {
                    var port = addressMode == ServiceAddressModes.Host ? p.Value : p.To > 0 ? p.To : p.Value;
                    return Done(n.IP, port);
                }
        return ("", 0, $"invalid port \"{portLabel}\": port label not found");
    }

    /// <summary>The group's shared networks, then the task's own.</summary>
    private static List<NetworkResource> Networks(Allocation alloc, string? taskName)
    {
        var list = new List<NetworkResource>(alloc.AllocatedResources.Shared.Networks ?? []);
        if (taskName is not null && alloc.AllocatedResources.Tasks.TryGetValue(taskName, out var t)) list.AddRange(t.Networks ?? []);
        else foreach (var tr in alloc.AllocatedResources.Tasks.Values) list.AddRange(tr.Networks ?? []);
        return list;
    }
}
