namespace RAOrchestrator.GraphEmulator.Tokens;

/// <summary>Entra's texts for AADSTS errors shared by the token endpoint and the sign-in pages.</summary>
internal static class EntraMessages
{
    public static string TenantNotFound(string tenant) =>
        $"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.";

    public static string AppNotFound(string? clientId, string directory) =>
        $"Application with identifier '{clientId}' was not found in the directory '{directory}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.";

    public static string MissingParameter(string name) => $"The request body must contain the following parameter: '{name}'.";
}
