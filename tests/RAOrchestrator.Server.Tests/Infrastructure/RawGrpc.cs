using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Google.Rpc;
using Grpc.Core;

namespace RAOrchestrator.Server.Tests.Infrastructure;

/// <summary>
/// gRPC calls as bytes on the wire: a hand-built body (length-prefixed frames) POSTed over HTTP/2 to the real host,
/// and the status read back from wherever the server put it (the headers of a trailers-only answer, or the trailers).
/// </summary>
public sealed class RawGrpc(int apiPort) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { EnableMultipleHttp2Connections = true });

    public sealed record Answer(StatusCode Code, string Message, Google.Rpc.Status? Details)
    {
        public ErrorInfo? Info => Details?.Details.FirstOrDefault(d => d.Is(ErrorInfo.Descriptor))?.Unpack<ErrorInfo>();
    }

    /// <summary>One gRPC frame: the uncompressed flag, the big-endian length, the message bytes.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> message)
    {
        var frame = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame.AsSpan(5));
        return frame;
    }

    /// <param name="path">/package.Service/Method</param>
    public Task<Answer> SendAsync(string path, byte[] body, string? token, CancellationToken cancellationToken = default) =>
        SendAsync(path, new ByteArrayContent(body), token, cancellationToken);

    /// <summary>A call whose body the test writes as it likes (say, one that never ends).</summary>
    public async Task<Answer> SendAsync(string path, HttpContent body, string? token, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{apiPort}{path}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = body,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        // A streaming method answers messages until it ends; its first bytes are enough to know it was accepted.
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[64 * 1024];
        while (await stream.ReadAsync(buffer, cancellationToken) > 0)
        {
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"HTTP {(int)response.StatusCode} for {path}");
        }

        var status = Header(response, "grpc-status") ?? throw new InvalidOperationException($"no grpc-status for {path}");
        var message = Uri.UnescapeDataString(Header(response, "grpc-message") ?? string.Empty);
        var details = Header(response, "grpc-status-details-bin");
        var parsed = details is null ? null : Google.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(Pad(details)));
        return new Answer((StatusCode)int.Parse(status, CultureInfo.InvariantCulture), message, parsed);
    }

    public void Dispose() => _http.Dispose();

    private static string Pad(string base64) => base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.First()
        : response.TrailingHeaders.TryGetValues(name, out var trailing) ? trailing.First()
        : null;
}
