using Microsoft.Extensions.DependencyInjection;
using RAOrchestrator.Abstractions.Indexes;
using RAOrchestrator.Contracts.V1;
using RAOrchestrator.Domain.Resources;
using RAOrchestrator.Server.Tests.Infrastructure;
using RAOrchestrator.Server.Web.Console;
using static RAOrchestrator.Server.Tests.Infrastructure.SessionWorld;

namespace RAOrchestrator.Server.Tests;

/// <summary>The lobby console's "my sessions", read from the user's own index of open sessions, which the sessions keep.</summary>
[Collection(ServerCollection.Name)]
public sealed class ConsoleSessionListTests(ServerFixture fixture)
{
    private readonly SessionWorld _world = new(fixture, TestIds.NewPartner());

    [Fact]
    public async Task The_console_lists_the_open_sessions_of_its_user_and_drops_a_closed_one_its_index_still_named()
    {
        var abc = await _world.TenantAsync();
        var open = (await _world.Sessions.CreateSessionAsync(Schedule(abc, abc.Technician))).Session;
        var closed = (await _world.Sessions.CreateSessionAsync(Schedule(abc, abc.Technician))).Session;
        await _world.Sessions.CancelSessionAsync(new CancelSessionRequest { Name = closed.Name });
        var grains = fixture.Server.Services.GetRequiredService<IGrainFactory>();
        var index = grains.GetGrain<IKeyIndexGrain>(ResourceName.AdmitterSessionIndex(abc.TenantId, abc.Technician));
        Assert.Equal([Id(open)], (await index.ListAsync(null, 10)).Keys);

        // As after a crash between the cancellation and its removal from the index.
        await index.AddAsync(Id(closed));
        var user = new ConsoleUser(abc.TenantId, abc.Technician, "hololens-tech@" + abc.Domain, "Hanna Technician", "token");
        var listed = await new ConsoleSessions(grains).OpenAsync(user, _world.Partner);

        Assert.Equal([open.Name], listed.Select(s => s.Name));
        Assert.Equal([Id(open)], (await index.ListAsync(null, 10)).Keys);
    }

    private static string Id(Session session) => session.Name[(session.Name.LastIndexOf('/') + 1)..];
}
