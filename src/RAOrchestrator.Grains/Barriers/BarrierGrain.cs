using RAOrchestrator.Abstractions.Barriers;
using RAOrchestrator.Domain.Barriers;
using RAOrchestrator.Domain.Errors;

namespace RAOrchestrator.Grains.Barriers;

[GrainType("barriers")]
public sealed class BarrierGrain(
    [PersistentState("barriers", StorageNames.State)] IPersistentState<BarrierState> state) : Grain, IBarrierGrain
{
    private const int MaxProcessed = 256;

    private BarrierState State => state.State;

    public Task<BarrierConfigView> GetAsync() => Task.FromResult(View());

    public async Task<BarrierChange> ChangeAsync(BarrierCommand command)
    {
        if (command.RequestId.Length > 0 && State.Processed.FirstOrDefault(p => p.RequestId == command.RequestId) is { Result: { } earlier })
        {
            return earlier;
        }

        if (command.ExpectedVersion is { } expected && expected != State.Version)
        {
            throw OrchestratorException.EtagMismatch(this.GetPrimaryKeyString());
        }

        var configuration = State.Configuration;
        var result = command.Kind switch
        {
            BarrierCommandKind.CreateSegment => configuration.AddSegment(command.Segment!.Name, command.Segment.UserGroupFilter),
            BarrierCommandKind.UpdateSegment => configuration.UpdateSegment(command.Segment!.Name, command.Segment),
            BarrierCommandKind.DeleteSegment => configuration.RemoveSegment(command.Name!),
            BarrierCommandKind.CreatePolicy => configuration.AddPolicy(command.Policy!),
            BarrierCommandKind.UpdatePolicy => configuration.UpdatePolicy(command.Policy!.Name, command.Policy),
            BarrierCommandKind.DeletePolicy => configuration.RemovePolicy(command.Name!),
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        };

        if (result.Value is null || result.Violations.Any(v => v.Severity == BarrierSeverity.Error))
        {
            throw BarrierErrors.From(result.Violations.First(v => v.Severity == BarrierSeverity.Error));
        }

        State.Configuration = result.Value;
        State.Version++;
        var change = new BarrierChange(View(), result.Violations.Where(v => v.Severity == BarrierSeverity.Warning).ToArray());
        if (command.RequestId.Length > 0)
        {
            State.Processed.Add((command.RequestId, change));
            if (State.Processed.Count > MaxProcessed)
            {
                State.Processed.RemoveAt(0);
            }
        }

        await state.WriteOrDeactivateAsync(this);
        return change;
    }

    private BarrierConfigView View() => new(State.Configuration, State.Version);
}
