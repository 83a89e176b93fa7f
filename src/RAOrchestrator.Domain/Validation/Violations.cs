using RAOrchestrator.Domain.Errors;

namespace RAOrchestrator.Domain.Validation;

/// <summary>Collects field violations of one request and throws them all at once.</summary>
public sealed class Violations
{
    private readonly List<FieldViolation> _items = [];

    public bool Any => _items.Count > 0;

    public void Add(string field, string description) => _items.Add(new FieldViolation(field, description));

    public void ThrowIfAny()
    {
        if (_items.Count > 0)
        {
            throw OrchestratorException.Invalid(_items.ToArray());
        }
    }
}
