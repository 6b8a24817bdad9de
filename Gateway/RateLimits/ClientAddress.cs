using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace OrleansIm.Gateway.RateLimits;

/// <summary>The key per-address limits count under: the TCP peer's address (no forwarded headers are trusted).</summary>
public static class ClientAddress
{
    /// <summary>
    /// IPv4 as is; IPv6 by its /64 prefix, because one host usually owns a whole /64 and could otherwise take a new
    /// address (and a fresh bucket) for every request. Null when the address is unknown or exempt (loopback, if
    /// <paramref name="exemptLoopback"/>).
    /// </summary>
    public static string? Key(HttpContext context, bool exemptLoopback)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null) return null;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (exemptLoopback && IPAddress.IsLoopback(address)) return null;
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
