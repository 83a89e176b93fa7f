namespace RAOrchestrator.Domain.Tenants;

public enum CheckResult
{
    Passed = 1,
    Failed = 2,
    Unknown = 3,
}

/// <summary>One prerequisite: passed, failed or unknown, why (an UPPER_SNAKE reason), and what to do about it.</summary>
[GenerateSerializer, Immutable, Alias("raorch.ReadinessCheck")]
public sealed record ReadinessCheck(
    [property: Id(0)] string Id,
    [property: Id(1)] string Title,
    [property: Id(2)] CheckResult Result,
    [property: Id(3)] string Reason,
    [property: Id(4)] string Message,
    [property: Id(5)] string Remedy,
    [property: Id(6)] bool Blocking);

/// <summary>Whether a tenant is ready for Remote Assist with out-of-tenant collaborators, check by check.</summary>
[GenerateSerializer, Immutable, Alias("raorch.ReadinessReport")]
public sealed record ReadinessReport(
    [property: Id(0)] IReadOnlyList<ReadinessCheck> Checks,
    [property: Id(1)] DateTimeOffset CheckedAt)
{
    /// <summary>Ready when every blocking check passed.</summary>
    public bool Ready => Checks.All(c => !c.Blocking || c.Result == CheckResult.Passed);

    public IEnumerable<ReadinessCheck> Outstanding => Checks.Where(c => c.Result != CheckResult.Passed);
}
