namespace RAOrchestrator.GraphEmulator.State;

/// <summary>
/// A refusal Graph gives the next <see cref="Times"/> requests to one endpoint (named as the counters name it, e.g.
/// <c>POST /users/{id}/assignLicense</c>), then never again: lets a test make one step of a workflow fail once, with a
/// status and message of its choosing (403 by default: a permission Graph withdrew), and show that a retry completes.
/// </summary>
public sealed record RefusalFault(string Endpoint, int Status = 403, string Code = "Authorization_RequestDenied",
    string Message = "Insufficient privileges to complete the operation.", int Times = 1);
