using System.Runtime.InteropServices;

namespace RAOrchestrator.Testing;

/// <summary>POSIX signals .NET's Process API does not send (it only kills).</summary>
public static class Signals
{
    private const int SigTerm = 15;

    /// <summary>Asks a process to shut down cleanly (SIGTERM); false where that is not possible.</summary>
    public static bool Terminate(int processId) =>
        !OperatingSystem.IsWindows() && Kill(processId, SigTerm) == 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
