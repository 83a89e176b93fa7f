namespace RAOrchestrator.Server.Configuration;

/// <summary>How the .NET runtime under the host is set up.</summary>
public sealed class RuntimeOptions
{
    public const string Section = "Runtime";

    /// <summary>
    /// The thread pool's minimum of worker threads (raised to it at start, never lowered). .NET's own minimum is the
    /// processor count, which is 1 in a container limited to one CPU or a process pinned to one core: there, any work
    /// item that blocks a thread starves every request until the pool adds a thread, about one a second.
    /// </summary>
    public int MinWorkerThreads { get; set; } = 4;

    public IEnumerable<string> Validate()
    {
        if (MinWorkerThreads is < 1 or > 1024)
        {
            yield return "Runtime:MinWorkerThreads must be between 1 and 1024 (default 4).";
        }
    }

    /// <summary>Raises the thread pool's minimum of worker threads to <see cref="MinWorkerThreads"/> (the pool is the process's).</summary>
    public void Apply()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        if (workers < MinWorkerThreads)
        {
            ThreadPool.SetMinThreads(MinWorkerThreads, completionPorts);
        }
    }
}
