using System.Text.Json.Serialization;

namespace RAOrchestrator.Cli.Connection;

/// <summary>
/// The claims of a partner token that carry the partner and the roles: the same names as the service's
/// <c>Auth:PartnerClaim</c> and <c>Auth:RolesClaim</c>, with the same defaults. Each from (first wins) the option, the
/// environment (RAORCH_PARTNER_CLAIM, RAORCH_ROLES_CLAIM), the profile, the default.
/// </summary>
public sealed record ClaimNames(
    [property: JsonPropertyName("partnerClaim")] string Partner,
    [property: JsonPropertyName("rolesClaim")] string Roles)
{
    public const string DefaultPartner = "partner_id";
    public const string DefaultRoles = "roles";

    public static readonly ClaimNames Default = new(DefaultPartner, DefaultRoles);

    public static ClaimNames Resolve(CliHost host, string? partner, string? roles, ClaimNames? saved) => new(
        Setting.First(partner, host.GetVariable(EnvironmentVariables.PartnerClaim), saved?.Partner) ?? DefaultPartner,
        Setting.First(roles, host.GetVariable(EnvironmentVariables.RolesClaim), saved?.Roles) ?? DefaultRoles);
}
