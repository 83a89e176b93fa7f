using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace RAOrchestrator.Cli.Tests.Infrastructure;

/// <summary>
/// A plaintext HTTP/2 endpoint that behaves as a server in its graceful shutdown: it answers each request it is sent
/// with GOAWAY (last stream 0, NO_ERROR: "I processed none of your streams") and leaves the connection open until the
/// client closes it, as Kestrel does while it drains. It counts the requests (HEADERS frames) that reached it.
/// </summary>
public sealed class GoingAwayServer : IAsyncDisposable
{
    private const byte Headers = 0x1;
    private const byte Settings = 0x4;
    private const byte GoAway = 0x7;
    private const int PrefaceLength = 24;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private int _requests;

    public GoingAwayServer()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Address => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>How many requests reached this server (each turned away).</summary>
    public int Requests => Volatile.Read(ref _requests);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
                connections.Add(ServeAsync(client));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(connections);
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(Frame(Settings, 0, []), _stopping.Token);
            await stream.ReadExactlyAsync(new byte[PrefaceLength], _stopping.Token);
            var header = new byte[9];
            while (true)
            {
                await stream.ReadExactlyAsync(header, _stopping.Token);
                var length = (header[0] << 16) | (header[1] << 8) | header[2];
                var (type, flags) = (header[3], header[4]);
                await stream.ReadExactlyAsync(new byte[length], _stopping.Token);
                if (type == Settings && (flags & 0x1) == 0)
                {
                    await stream.WriteAsync(Frame(Settings, 0x1, []), _stopping.Token);
                }
                else if (type == Headers)
                {
                    Interlocked.Increment(ref _requests);
                    var payload = new byte[8]; // last stream id 0, error code NO_ERROR
                    await stream.WriteAsync(Frame(GoAway, 0, payload), _stopping.Token);
                }
            }
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client closed the connection (or the test ended).
        }
    }

    private static byte[] Frame(byte type, byte flags, byte[] payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), 0);
        payload.CopyTo(frame, 9);
        return frame;
    }
}
