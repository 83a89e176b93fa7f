using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using RAOrchestrator.Server.Configuration;
using RAOrchestrator.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RAOrchestrator.Server.Tests;

/// <summary>
/// The cluster is not a way around the API's rules: no Orleans gateway unless a setting opens it, and with a cluster
/// certificate only silos holding it talk to each other (real sockets, hosts in this process on the suite's Azurite).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ClusterSecurityTests(ServerFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Nothing_listens_on_the_gateway_port_by_default_and_the_gateway_opens_only_when_enabled()
    {
        var serviceId = "gateway-" + Guid.NewGuid().ToString("N")[..8];
        var membership = new MembershipTable(fixture.Azurite.ConnectionString, serviceId + "-cluster");
        var closed = Ports();
        var open = Ports();

        await using (var host = await StartAsync(serviceId, closed))
        {
            await LocalCluster.WaitForActiveAsync(membership, [closed.Silo], TimeSpan.FromSeconds(30));
            Assert.False(await AcceptsAsync(closed.Gateway), $"something listens on the disabled gateway port {closed.Gateway}");
            Assert.True(await AcceptsAsync(closed.Silo));
            Assert.Equal(0, (await membership.ReadAsync()).Single(r => r.Port == closed.Silo).ProxyPort);
        }

        await using (var host = await StartAsync(serviceId, open, new() { ["Cluster:GatewayEnabled"] = "true" }))
        {
            await LocalCluster.WaitForActiveAsync(membership, [open.Silo], TimeSpan.FromSeconds(30));
            Assert.True(await AcceptsAsync(open.Gateway), $"the enabled gateway does not listen on {open.Gateway}");
            Assert.Equal(open.Gateway, (await membership.ReadAsync()).Single(r => r.Port == open.Silo).ProxyPort);
        }
    }

    [Fact]
    public async Task Listening_on_any_address_opens_no_gateway_either_unless_enabled()
    {
        // Orleans' ConfigureEndpoints with listen-on-any and gateway port 0 would still listen (on 0.0.0.0:0, a random port).
        await using var closed = ServerApp.Build([.. MinimalHostArgs.Valid, "--Cluster:ListenOnAnyHostAddress=true", "--Cluster:SiloPort=21111", "--Cluster:GatewayPort=21112"]);
        var endpoints = closed.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        Assert.Equal(0, endpoints.GatewayPort);
        Assert.Null(endpoints.GatewayListeningEndpoint);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 21111), endpoints.SiloListeningEndpoint);

        await using var open = ServerApp.Build([.. MinimalHostArgs.Valid, "--Cluster:ListenOnAnyHostAddress=true", "--Cluster:GatewayEnabled=true", "--Cluster:GatewayPort=21112"]);
        var opened = open.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        Assert.Equal(21112, opened.GatewayPort);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 21112), opened.GatewayListeningEndpoint);
    }

    [Fact]
    public void The_gateway_port_is_checked_only_when_the_gateway_is_enabled()
    {
        using var _ = ServerApp.Build([.. MinimalHostArgs.Valid, "--Cluster:GatewayPort=0"]) as IDisposable;

        var ex = Assert.Throws<InvalidConfigurationException>(() => ServerApp.Build([.. MinimalHostArgs.Valid, "--Cluster:GatewayEnabled=true", "--Cluster:GatewayPort=0"]));
        Assert.Equal(["Cluster:GatewayPort must be between 1 and 65535."], ex.Errors);
    }

    [Fact]
    public void A_cluster_certificate_that_is_missing_unreadable_or_without_private_key_is_refused_by_name()
    {
        using var certificates = new ClusterCertificates();
        var (certificate, pfx) = certificates.Create("settings");
        var notPfx = certificates.WriteFile("not.pfx", "not a certificate"u8.ToArray());
        var keyless = certificates.WithoutKey(certificate, "keyless");

        Assert.Contains("Cluster:Tls:CertificatePath", Errors("--Cluster:Tls:CertificatePath=/nonexistent/cluster.pfx").Single(), StringComparison.Ordinal);
        Assert.StartsWith("Cluster:Tls:CertificatePath", Errors($"--Cluster:Tls:CertificatePath={notPfx}").Single(), StringComparison.Ordinal);
        Assert.StartsWith("Cluster:Tls:CertificatePath", Errors($"--Cluster:Tls:CertificatePath={keyless}", $"--Cluster:Tls:CertificatePassword={ClusterCertificates.Password}").Single(), StringComparison.Ordinal);
        Assert.StartsWith("Cluster:Tls:CertificatePath", Errors($"--Cluster:Tls:CertificatePath={pfx}", "--Cluster:Tls:CertificatePassword=wrong").Single(), StringComparison.Ordinal);
        Assert.StartsWith("Cluster:Tls:AllowedThumbprints", Errors($"--Cluster:Tls:CertificatePath={pfx}", $"--Cluster:Tls:CertificatePassword={ClusterCertificates.Password}", "--Cluster:Tls:AllowedThumbprints:0=abc").Single(), StringComparison.Ordinal);
        Assert.Empty(Errors($"--Cluster:Tls:CertificatePath={pfx}", $"--Cluster:Tls:CertificatePassword={ClusterCertificates.Password}", $"--Cluster:Tls:AllowedThumbprints:0={new string('a', 64)}"));
    }

    [Fact]
    public async Task Silos_sharing_the_cluster_certificate_form_one_cluster_and_a_peer_without_it_can_neither_connect_nor_join()
    {
        using var certificates = new ClusterCertificates();
        var (cluster, clusterPfx) = certificates.Create("cluster");
        var (stranger, strangerPfx) = certificates.Create("stranger");
        var serviceId = "tls-" + Guid.NewGuid().ToString("N")[..8];
        var membership = new MembershipTable(fixture.Azurite.ConnectionString, serviceId + "-cluster");
        var tls = new Dictionary<string, string?> { ["Cluster:Tls:CertificatePath"] = clusterPfx, ["Cluster:Tls:CertificatePassword"] = ClusterCertificates.Password };
        var first = Ports();
        var second = Ports();
        var clock = Stopwatch.StartNew();

        await using var a = await StartAsync(serviceId, first, tls);
        await using var b = await StartAsync(serviceId, second, tls);
        await LocalCluster.WaitForActiveAsync(membership, [first.Silo, second.Silo], TimeSpan.FromSeconds(30));
        output.WriteLine($"two TLS silos active after {clock.Elapsed.TotalSeconds:F1} s");

        // A raw TLS client on the silo port: with the cluster certificate the silo keeps the connection (and speaks
        // Orleans); with another certificate or none it ends the connection before a byte of Orleans is exchanged.
        var outcomes = new Dictionary<string, Outcome>
        {
            ["cluster"] = await ConnectAsync(first.Silo, cluster),
            ["stranger"] = await ConnectAsync(first.Silo, stranger),
            ["none"] = await ConnectAsync(first.Silo, null),
        };
        output.WriteLine(string.Join(", ", outcomes.Select(o => $"{o.Key}: {o.Value}")));
        Assert.NotEqual(Outcome.Refused, outcomes["cluster"]);
        Assert.Equal(Outcome.Refused, outcomes["stranger"]);
        Assert.Equal(Outcome.Refused, outcomes["none"]);

        // A silo with another certificate, same storage and cluster id, as its own process (a silo declared dead ends
        // its process): it writes itself as Joining, reaches no member, is declared dead and stops; never Active.
        var rogue = Ports();
        var rogueSettings = ServerInstance.Settings(fixture.Azurite, fixture.Emulator, fixture.Tokens, serviceId, rogue.Api, rogue.Management, rogue.Silo, rogue.Gateway,
            new Dictionary<string, string?> { ["Cluster:Tls:CertificatePath"] = strangerPfx, ["Cluster:Tls:CertificatePassword"] = ClusterCertificates.Password });
        var starting = SiloProcess.StartAsync(rogueSettings, rogue.Api, TimeSpan.FromSeconds(45));
        var rogueSeen = false;
        while (!starting.IsCompleted)
        {
            var rows = await membership.ReadAsync();
            rogueSeen |= rows.Any(r => r.Port == rogue.Silo);
            Assert.DoesNotContain(rows, r => r.Port == rogue.Silo && r.Status == "Active");
            await Task.Delay(250);
        }

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(async () => await (await starting).DisposeAsync());
        output.WriteLine($"rogue silo: {refused.Message.Split(Environment.NewLine)[0]}");
        Assert.True(rogueSeen, "the rogue silo never tried to join, so the test showed nothing");
        Assert.Contains(rogue.Silo, (await membership.ReadAsync()).Where(r => r.Status == "Dead").Select(r => r.Port));
        Assert.Equal(new HashSet<int> { first.Silo, second.Silo }, await membership.ActivePortsAsync());
        output.WriteLine($"test took {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static SiloPorts Ports() => SiloPorts.Free();

    private static IReadOnlyList<string> Errors(params string[] args)
    {
        try
        {
            using var app = ServerApp.Build([.. MinimalHostArgs.Valid, .. args]) as IDisposable;
            return [];
        }
        catch (InvalidConfigurationException ex)
        {
            return ex.Errors;
        }
    }

    private WebApplication Build(string serviceId, SiloPorts ports, Dictionary<string, string?>? overrides = null)
    {
        var settings = ServerInstance.Settings(fixture.Azurite, fixture.Emulator, fixture.Tokens, serviceId, ports.Api, ports.Management, ports.Silo, ports.Gateway, overrides);
        return ServerApp.Build([], builder => builder.Configuration.AddInMemoryCollection(settings));
    }

    private async Task<WebApplication> StartAsync(string serviceId, SiloPorts ports, Dictionary<string, string?>? overrides = null)
    {
        var app = Build(serviceId, ports, overrides);
        await app.StartAsync();
        return app;
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TimeSpan.FromSeconds(5));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private enum Outcome
    {
        /// <summary>The silo sent Orleans bytes over TLS.</summary>
        Answered,

        /// <summary>The connection stayed open without a word from the silo.</summary>
        Open,

        /// <summary>The handshake failed or the silo closed the connection.</summary>
        Refused,
    }

    /// <summary>A TLS handshake with this client certificate (or none), then a read: what the silo made of the peer.</summary>
    private static async Task<Outcome> ConnectAsync(int port, X509Certificate2? clientCertificate)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "silo",
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                LocalCertificateSelectionCallback = clientCertificate is null ? null : (_, _, _, _, _) => clientCertificate,
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            }, timeout.Token);
            var buffer = new byte[64];
            var read = await tls.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            return read > 0 ? Outcome.Answered : Outcome.Refused;
        }
        catch (TimeoutException)
        {
            return Outcome.Open;
        }
        catch (Exception ex) when (ex is IOException or AuthenticationException or SocketException or OperationCanceledException)
        {
            return Outcome.Refused;
        }
    }
}
