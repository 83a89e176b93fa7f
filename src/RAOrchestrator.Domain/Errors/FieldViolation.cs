namespace RAOrchestrator.Domain.Errors;

/// <summary>One wrong field of a request: its path in the request message and what is wrong with it.</summary>
[GenerateSerializer, Immutable, Alias("raorch.FieldViolation")]
public sealed record FieldViolation([property: Id(0)] string Field, [property: Id(1)] string Description);
