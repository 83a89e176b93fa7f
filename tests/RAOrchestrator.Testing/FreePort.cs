using System.Net;
using System.Net.Sockets;

namespace RAOrchestrator.Testing;

/// <summary>
/// Loopback ports nobody listens on right now, for servers a test starts. They are taken below the kernel's ephemeral
/// range (32768 and up on Linux): a port the kernel hands out as free there is also handed to the next outgoing
/// connection of any process (every test talks to Azurite), which can hold it before the server binds it.
/// </summary>
public static class FreePort
{
    private const int First = 20_000;
    private const int Last = 32_000;
    private static readonly HashSet<int> Given = [];

    public static int Next()
    {
        lock (Given)
        {
            for (var attempt = 0; attempt < 2_000; attempt++)
            {
                var port = Random.Shared.Next(First, Last);
                if (!Given.Contains(port) && CanListen(port))
                {
                    Given.Add(port);
                    return port;
                }
            }
        }

        throw new InvalidOperationException($"No free loopback port between {First} and {Last}.");
    }

    private static bool CanListen(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
