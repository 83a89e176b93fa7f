namespace RAOrchestrator.Grains;

/// <summary>
/// A grain whose watches wait in long polls (<see cref="WatchWait"/>). A dropped activation takes no call until its
/// running calls end, so when one is dropped its polls are woken at once: each answers what is stored, and every caller
/// goes on with the next activation instead of waiting out a poll.
/// </summary>
internal interface IHoldsWatches
{
    /// <summary>Wakes every waiting poll.</summary>
    void WakeWatches();
}
