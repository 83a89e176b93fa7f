using System.Reflection;
using System.Runtime.ExceptionServices;
using RAOrchestrator.Domain.Directory;

namespace RAOrchestrator.Grains.Tests.Infrastructure;

/// <summary>
/// The directory gateway as the grains get it in this cluster: each call first runs a test's hook (which moves the
/// grains' clock, as if Graph had taken that long to answer), then goes to the real gateway.
/// </summary>
public class SlowDirectory : DispatchProxy
{
    private IDirectoryGateway _inner = null!;
    private Action _beforeCall = null!;

    public static IDirectoryGateway Wrap(IDirectoryGateway inner, Action beforeCall)
    {
        var proxy = Create<IDirectoryGateway, SlowDirectory>();
        var slow = (SlowDirectory)(object)proxy;
        (slow._inner, slow._beforeCall) = (inner, beforeCall);
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        _beforeCall();
        try
        {
            return targetMethod!.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }
}
