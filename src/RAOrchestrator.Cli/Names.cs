using RAOrchestrator.Cli.Errors;

namespace RAOrchestrator.Cli;

/// <summary>Resource names as people type them: a full name, or the short form without the collection words.</summary>
public static class Names
{
    /// <summary><c>tenants/{id}</c> from <c>{id}</c> or <c>tenants/{id}</c>.</summary>
    public static string Tenant(string text)
    {
        var value = text.Trim().TrimEnd('/');
        var id = value.StartsWith("tenants/", StringComparison.Ordinal) ? value["tenants/".Length..] : value;
        return id.Length == 0 || id.Contains('/')
            ? throw CliException.Usage($"'{text}' is not a tenant; give its Entra tenant id or tenants/<id>.")
            : "tenants/" + id;
    }

    /// <summary><c>tenants/{t}/serviceAccounts/{a}</c> from that or <c>{t}/{a}</c>.</summary>
    public static string ServiceAccount(string text) => Child(text, "serviceAccounts", "service account");

    /// <summary><c>tenants/{t}/sessions/{s}</c> from that or <c>{t}/{s}</c>.</summary>
    public static string Session(string text) => Child(text, "sessions", "session");

    /// <summary><c>operations/{id}</c> from <c>{id}</c> or <c>operations/{id}</c>.</summary>
    public static string Operation(string text)
    {
        var value = text.Trim();
        var id = value.StartsWith("operations/", StringComparison.Ordinal) ? value["operations/".Length..] : value;
        return id.Length == 0 || id.Contains('/') ? throw CliException.Usage($"'{text}' is not an operation; give operations/<id>.") : "operations/" + id;
    }

    private static string Child(string text, string collection, string what)
    {
        var parts = text.Trim().Trim('/').Split('/');
        return parts switch
        {
            ["tenants", var t, var c, var id] when c == collection && t.Length > 0 && id.Length > 0 => $"tenants/{t}/{collection}/{id}",
            [var t, var id] when t.Length > 0 && id.Length > 0 && t != "tenants" => $"tenants/{t}/{collection}/{id}",
            _ => throw CliException.Usage($"'{text}' is not a {what}; give tenants/<tenant>/{collection}/<id> or <tenant>/<id>."),
        };
    }
}
