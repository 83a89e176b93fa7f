namespace RAOrchestrator.Domain.Validation;

/// <summary>Names for people: 1 to 256 characters, no control characters, not only spaces.</summary>
public static class DisplayName
{
    public const int MaxLength = 256;

    public static void Check(string? value, Violations violations, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            violations.Add(field, "is required");
            return;
        }

        if (value.Length > MaxLength)
        {
            violations.Add(field, $"must be at most {MaxLength} characters");
            return;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsControl(c) || char.IsSurrogate(c))
            {
                violations.Add(field, "must not contain control characters or unpaired surrogates");
                return;
            }
        }
    }
}
