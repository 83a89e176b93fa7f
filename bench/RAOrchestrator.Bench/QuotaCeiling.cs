using System.Globalization;
using RAOrchestrator.GraphEmulator;

namespace RAOrchestrator.Bench;

/// <summary>
/// Microsoft Graph's published identity buckets (platform-facts.md), optionally with time compressed and rates scaled,
/// applied alike to the emulator and the gateway; and the accounts-per-second ceiling they allow. Time compression
/// divides every window and every limit by <see cref="TimeScale"/>, so each rate (limit ÷ window) stays the published
/// one while a run of a minute spans many windows (otherwise a run shorter than the 5-minute write window only ever
/// sees the first window's burst). <see cref="RateScale"/> multiplies every limit, i.e. every rate.
/// </summary>
public sealed record QuotaCeiling(double TimeScale, double RateScale)
{
    public const int TenantUnits = 3_500;          // per app+tenant per 10 s (tenants under 50 users)
    public const double TenantUnitsWindow = 10;
    public const int TenantWrites = 3_000;         // per app+tenant per 150 s
    public const double TenantWritesWindow = 150;
    public const int AppUnits = 150_000;           // per app across tenants per 20 s
    public const double AppUnitsWindow = 20;
    public const int AppWrites = 70_000;           // per app across tenants per 5 min
    public const double AppWritesWindow = 300;

    /// <summary>A provisioned account is two writes (create with usage location, assignLicense) of one unit each.</summary>
    public const int WritesPerAccount = 2;

    private double Limit(int published) => published * RateScale / TimeScale;

    private double Window(double published) => published / TimeScale;

    public ThrottlingSettings Emulator() => new()
    {
        WindowSeconds = Window(TenantUnitsWindow),
        SmallTenantBudget = (int)Math.Round(Limit(TenantUnits)),
        MediumTenantBudget = (int)Math.Round(Limit(5_000)),
        LargeTenantBudget = (int)Math.Round(Limit(8_000)),
        WriteBudget = (int)Math.Round(Limit(TenantWrites)),
        WriteWindowSeconds = Window(TenantWritesWindow),
        AppBudget = (int)Math.Round(Limit(AppUnits)),
        AppWindowSeconds = Window(AppUnitsWindow),
        AppWriteBudget = (int)Math.Round(Limit(AppWrites)),
        AppWriteWindowSeconds = Window(AppWritesWindow),
        InFlightGraceMilliseconds = 500,
    };

    /// <summary>The gateway's budgets: the same buckets, of which it plans to use <paramref name="safety"/>.</summary>
    public IDictionary<string, string?> Gateway(double safety) => new Dictionary<string, string?>
    {
        ["Graph:Budgets:TenantUnitsPer10Seconds"] = Invariant(Math.Round(Limit(TenantUnits))),
        ["Graph:Budgets:TenantWritesPer150Seconds"] = Invariant(Math.Round(Limit(TenantWrites))),
        ["Graph:Budgets:AppUnitsPer20Seconds"] = Invariant(Math.Round(Limit(AppUnits))),
        ["Graph:Budgets:AppWritesPer5Minutes"] = Invariant(Math.Round(Limit(AppWrites))),
        ["Graph:Budgets:WindowScale"] = Invariant(1 / TimeScale),
        ["Graph:Budgets:Safety"] = Invariant(safety),
    };

    /// <summary>
    /// The sustained accounts per second each bucket allows for a bulk run of <paramref name="tenants"/> tenants with
    /// <paramref name="accountsPerTenant"/> accounts, each onboarding costing <paramref name="onboardingUnits"/> units
    /// of reads; the ceiling is the smallest, and the lines say how each was reached.
    /// </summary>
    public (double AccountsPerSecond, IReadOnlyList<string> Lines) For(int tenants, int accountsPerTenant, double onboardingUnits)
    {
        var appWrites = Limit(AppWrites) / Window(AppWritesWindow) / WritesPerAccount;
        var tenantWrites = Limit(TenantWrites) / Window(TenantWritesWindow) / WritesPerAccount;
        var unitsPerAccount = WritesPerAccount + onboardingUnits / accountsPerTenant;
        var appUnits = Limit(AppUnits) / Window(AppUnitsWindow) / unitsPerAccount;
        var ceiling = Math.Min(appWrites, Math.Min(tenantWrites * tenants, appUnits));
        return (ceiling,
        [
            $"app writes:        {AppWrites:N0} x {RateScale} per {AppWritesWindow:0} s = {Limit(AppWrites) / Window(AppWritesWindow):0.0} writes/s; / {WritesPerAccount} writes an account = {appWrites:0.0} accounts/s",
            $"app+tenant writes: {TenantWrites:N0} x {RateScale} per {TenantWritesWindow:0} s = {tenantWrites * WritesPerAccount:0.0} writes/s = {tenantWrites:0.0} accounts/s per tenant; x {tenants} tenants = {tenantWrites * tenants:0.0}",
            $"app units:         {AppUnits:N0} x {RateScale} per {AppUnitsWindow:0} s = {Limit(AppUnits) / Window(AppUnitsWindow):0} units/s; / {unitsPerAccount:0.0} units an account ({WritesPerAccount} + {onboardingUnits:0} of onboarding reads / {accountsPerTenant}) = {appUnits:0.0} accounts/s",
            $"ceiling:           the smallest, {ceiling:0.0} accounts/s (time compressed {TimeScale}x: every window and limit / {TimeScale}, every rate unchanged)",
        ]);
    }

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
