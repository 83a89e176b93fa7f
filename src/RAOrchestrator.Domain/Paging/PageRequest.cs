using System.Buffers.Text;
using System.Text;
using RAOrchestrator.Domain.Validation;

namespace RAOrchestrator.Domain.Paging;

/// <summary>
/// A validated page request: how many items and the key to continue after.
/// Page tokens are opaque to callers: a versioned, base64url-encoded continuation key.
/// </summary>
public readonly record struct PageRequest(int Size, string? After)
{
    public const int DefaultSize = 50;
    public const int MaxSize = 1000;
    private const string TokenPrefix = "v1:";
    private const int MaxTokenLength = 1024;

    public static PageRequest Parse(int pageSize, string? pageToken, Violations violations)
    {
        var size = pageSize;
        if (pageSize < 0 || pageSize > MaxSize)
        {
            violations.Add("page_size", $"must be between 0 and {MaxSize} (0 means {DefaultSize})");
        }
        else if (pageSize == 0)
        {
            size = DefaultSize;
        }

        string? after = null;
        if (!string.IsNullOrEmpty(pageToken) && !TryDecode(pageToken, out after))
        {
            violations.Add("page_token", "is not a token this service issued; pass next_page_token from the previous page unchanged");
        }

        return new PageRequest(size, after);
    }

    public static string Encode(string lastKey) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(TokenPrefix + lastKey));

    private static bool TryDecode(string token, out string? after)
    {
        after = null;
        if (token.Length > MaxTokenLength || !Base64Url.IsValid(token))
        {
            return false;
        }

        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            return false;
        }

        if (!text.StartsWith(TokenPrefix, StringComparison.Ordinal) || text.Length == TokenPrefix.Length)
        {
            return false;
        }

        after = text[TokenPrefix.Length..];
        return true;
    }
}
