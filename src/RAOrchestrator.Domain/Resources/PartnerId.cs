namespace RAOrchestrator.Domain.Resources;

/// <summary>A partner's id as carried in its token: 1 to 64 lower-case letters, digits and '-'.</summary>
public static class PartnerId
{
    public const int MaxLength = 64;

    public static bool IsValid(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxLength && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
