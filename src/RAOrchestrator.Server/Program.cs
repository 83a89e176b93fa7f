using RAOrchestrator.Server;
using RAOrchestrator.Server.Configuration;

try
{
    var app = ServerApp.Build(args);
    await app.RunAsync();
    return 0;
}
catch (InvalidConfigurationException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 2;
}
