namespace RAOrchestrator.Domain.Directory;

/// <summary>
/// What this service may change in a customer's directory for one account: only what it made. It removes only the
/// licences it assigned (a SKU the user held before it came stays), and disables or deletes only a user it created
/// (an adopted user, such as the customer's own administrator, is never disabled). Pure.
/// </summary>
public static class DirectoryFootprint
{
    /// <summary>Graph refused to remove a licence the user does not hold (for an undo: already done).</summary>
    public const string LicenceNotHeld = "LICENCE_NOT_HELD";

    /// <summary>The SKUs to assign to a user that holds <paramref name="held"/>: the ones it does not hold yet (re-assigning a held one would reset its disabled plans).</summary>
    public static IReadOnlyList<Guid> ToAssign(IReadOnlyList<Guid> wanted, IReadOnlyList<Guid> held) => wanted.Except(held).ToArray();

    /// <summary>The licences to remove from a user that holds <paramref name="held"/> now: those this service assigned and the user still has.</summary>
    public static IReadOnlyList<Guid> ToRemove(IReadOnlyList<Guid> assigned, IReadOnlyList<Guid> held) => assigned.Intersect(held).ToArray();
}
