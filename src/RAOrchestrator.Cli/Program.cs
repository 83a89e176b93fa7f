using RAOrchestrator.Cli;

return await Raorch.RunAsync(args, CliHost.FromProcess());
