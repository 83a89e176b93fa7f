using RAOrchestrator.Abstractions.ServiceAccounts;

namespace RAOrchestrator.Grains.ServiceAccounts;

/// <summary>
/// A mailed pass waiting for its expert. Nothing here opens the pass or tests a code without the link's secret: the pass
/// is sealed under a key the secret derives, and the code is kept as an HMAC under another.
/// </summary>
[GenerateSerializer, Alias("raorch.PassHandoffState")]
public sealed class PassHandoffState
{
    /// <summary>Whose pass and where the mails go; its SealedPass is always empty here (the seal is kept below).</summary>
    [Id(0)] public PassHandoffOpening? Opening { get; set; }

    /// <summary>The sealed pass; null once shown or ended.</summary>
    [Id(1)] public byte[]? SealedPass { get; set; }

    /// <summary>The HMAC of the code mailed last; null before the first and after the pass is shown.</summary>
    [Id(2)] public byte[]? CodeMac { get; set; }

    [Id(3)] public DateTimeOffset CodeExpiresAt { get; set; }

    /// <summary>Codes mailed for this link (bounded by <see cref="PassHandoffGrain.MaxCodes"/>).</summary>
    [Id(4)] public int CodesSent { get; set; }

    /// <summary>Wrong tries of the current code (bounded by <see cref="PassHandoffGrain.TriesPerCode"/>).</summary>
    [Id(5)] public int WrongTries { get; set; }

    [Id(6)] public DateTimeOffset? ViewedAt { get; set; }

    /// <summary>Why the pass stopped working before it was shown, if it did.</summary>
    [Id(7)] public PassHandoffEnd? Ended { get; set; }
}
