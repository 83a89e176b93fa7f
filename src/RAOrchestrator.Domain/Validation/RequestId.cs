namespace RAOrchestrator.Domain.Validation;

/// <summary>
/// Idempotency keys sent by callers on mutations. Optional; when present 1 to 64 characters of
/// letters, digits, '-', '_' or '.', so a UUID fits and nothing else can smuggle in.
/// </summary>
public static class RequestId
{
    public const int MaxLength = 64;

    public static void Check(string? value, Violations violations, string field = "request_id")
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        if (value.Length > MaxLength)
        {
            violations.Add(field, $"must be at most {MaxLength} characters");
            return;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                violations.Add(field, "may contain only letters, digits, '-', '_' and '.'");
                return;
            }
        }
    }
}
