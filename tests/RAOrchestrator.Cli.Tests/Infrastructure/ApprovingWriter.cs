using System.Text;
using System.Text.RegularExpressions;
using RAOrchestrator.GraphEmulator;
using RAOrchestrator.Testing;

namespace RAOrchestrator.Cli.Tests.Infrastructure;

/// <summary>
/// raorch's stderr as a test captures it; each "approval needed: send LINK" line it writes gets the tenant's test
/// administrator to approve that link, while raorch keeps waiting for the operation. With <paramref name="signInAs"/>,
/// the device code sign-in's "enter the code CODE" gets that person to enter it and sign in at the verification page
/// before raorch polls for the token.
/// </summary>
public sealed partial class ApprovingWriter(GraphEmulatorServer emulator, string? signInAs = null) : StringWriter
{
    private readonly List<Task> _approvals = [];
    private readonly StringBuilder _line = new();

    public override void Write(char value)
    {
        base.Write(value);
        if (value != '\n')
        {
            _line.Append(value);
            return;
        }

        if (Link().Match(_line.ToString()) is { Success: true } link)
        {
            lock (_approvals)
            {
                _approvals.Add(AutoApproval.ApproveOnceAsync(emulator, link.Groups[1].Value));
            }
        }

        if (signInAs is not null && DeviceCode().Match(_line.ToString()) is { Success: true } code)
        {
            Task.Run(() => DeviceSignIn.EnterCodeAsync(emulator, code.Groups[1].Value, signInAs)).GetAwaiter().GetResult();
        }

        _line.Clear();
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? string.Empty)
        {
            Write(c);
        }
    }

    public override void WriteLine(string? value)
    {
        Write(value);
        Write('\n');
    }

    /// <summary>Every approval started, finished (a failure to approve fails the test).</summary>
    public Task ApprovalsAsync()
    {
        lock (_approvals)
        {
            return Task.WhenAll([.. _approvals]);
        }
    }

    [GeneratedRegex(@"enter the code (\S+) to authenticate")]
    private static partial Regex DeviceCode();

    [GeneratedRegex(@"approval needed: send (\S+/tenant-approval/\S+) to an administrator")]
    private static partial Regex Link();
}
