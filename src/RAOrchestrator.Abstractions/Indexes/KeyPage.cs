namespace RAOrchestrator.Abstractions.Indexes;

/// <summary>A page of keys from an index (a key index, a partner's tenants or operations), sorted.</summary>
[GenerateSerializer, Immutable, Alias("raorch.KeyPage")]
public sealed record KeyPage([property: Id(0)] IReadOnlyList<string> Keys, [property: Id(1)] bool HasMore);
