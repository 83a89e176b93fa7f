namespace RAOrchestrator.Grains.Tenants;

public sealed partial class TenantGrain
{
    /// <summary>
    /// The running workflow timer's token: cancelled when the activation stops, so the step's Graph call is abandoned
    /// (the step stays pending and resumes from its reminder) instead of holding the deactivation up.
    /// </summary>
    private CancellationToken _stepCancellation;
}
