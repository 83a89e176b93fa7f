using RAOrchestrator.GraphEmulator;

// dotnet run --project src/RAOrchestrator.GraphEmulator -- --data path.json --urls https://127.0.0.1:5443
//   [--pfx cert.pfx [--pfx-password pw]] [--cert-pem-out emulator.pem] [--partner-issuer id] [--sign-in-password pw]
var options = new GraphEmulatorOptions { MinimumLogLevel = LogLevel.Information };
for (var i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--data": options.DataFile = Value(); break;
        case "--urls": options.Url = new Uri(Value().Split(';')[0]); break;
        case "--pfx": options.CertificatePfxPath = Value(); break;
        case "--pfx-password": options.CertificatePfxPassword = Value(); break;
        case "--cert-pem-out": options.CertificatePemOutputPath = Value(); break;
        case "--partner-issuer": options.PartnerIssuer = Value(); break;
        case "--sign-in-password": options.SignInPassword = Value(); break;
        default: throw new ArgumentException($"Unknown option '{args[i]}'.");
    }
}
options.DataFile ??= Path.Combine(AppContext.BaseDirectory, "Data", "demo-tenants.json");

await using var server = await GraphEmulatorServer.StartAsync(options);
Console.WriteLine($"Graph emulator listening on {server.BaseAddress}");
Console.WriteLine($"  Graph base URL:        {server.GraphBaseUrl}");
Console.WriteLine($"  Partner issuer:        {server.PartnerIssuerUri}");
Console.WriteLine($"  TLS SHA-256 thumbprint {server.CertificateSha256Thumbprint}");
if (options.CertificatePemOutputPath is not null)
{
    Console.WriteLine($"  Certificate PEM:       {Path.GetFullPath(options.CertificatePemOutputPath)}");
}

await server.WaitForShutdownAsync();
