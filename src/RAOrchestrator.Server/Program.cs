using RAOrchestrator.Server;
using RAOrchestrator.Server.Configuration;
using RAOrchestrator.Server.Security;

if (args.Length > 0 && args[0] == DevTokenCommand.Name)
{
    var configuration = new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .Build();
    return DevTokenCommand.Run(args, configuration);
}

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
