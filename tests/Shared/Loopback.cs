using System.Net;
using System.Net.Sockets;

namespace Platform.Tests.Shared;

/// <summary>Loopback helpers for test servers (linked into the test projects that start one).</summary>
internal static class Loopback
{
    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
