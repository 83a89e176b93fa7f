using System.Text.Json;
using System.Text.Json.Nodes;
using RAOrchestrator.GraphEmulator.Graph;
using RAOrchestrator.GraphEmulator.State;
using RAOrchestrator.GraphEmulator.Tokens;

namespace RAOrchestrator.GraphEmulator.Admin;

/// <summary>
/// <c>/_emulator/...</c>: what Graph cannot change (Teams settings, consent, access policies), test setup,
/// throttling and fault knobs, counters, the outbox, and partner tokens. Unauthenticated: loopback only.
/// </summary>
public static class AdminEndpoints
{
    private static JsonNode? ToNode<T>(T value) => JsonSerializer.SerializeToNode(value, EmulatorData.JsonOptions);

    internal static IResult NoTenant(string t) => Results.NotFound(new JsonObject { ["error"] = $"Tenant '{t}' is not in the emulator." });

    public static void MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/_emulator");

        admin.MapGet("/tenants", (EmulatorState s) =>
        {
            lock (s.Sync)
            {
                var list = new JsonArray();
                foreach (var t in s.Tenants.Values)
                {
                    list.Add(new JsonObject { ["id"] = t.Id, ["displayName"] = t.DisplayName, ["users"] = t.Users.Count });
                }

                return Results.Json(new JsonObject { ["value"] = list });
            }
        });

        admin.MapPost("/tenants", (TenantData data, EmulatorState s) =>
        {
            try
            {
                var t = s.AddTenant(data);
                return Results.Json(Dump(s, t), statusCode: 201);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                return Results.BadRequest(new JsonObject { ["error"] = e.Message });
            }
        });

        admin.MapGet("/tenants/{t}", (string t, EmulatorState s) => s.FindTenant(t) is { } tenant ? Results.Json(Dump(s, tenant)) : NoTenant(t));

        admin.MapDelete("/tenants/{t}", (string t, EmulatorState s) =>
        {
            lock (s.Sync)
            {
                return s.Tenants.Remove(t) ? Results.NoContent() : NoTenant(t);
            }
        });

        admin.MapGet("/tenants/{t}/teams-settings", (string t, EmulatorState s) =>
        {
            if (s.FindTenant(t) is not { } tenant)
            {
                return NoTenant(t);
            }

            lock (s.Sync)
            {
                return Results.Json(ToNode(tenant.TeamsSettings));
            }
        });

        admin.MapPut("/tenants/{t}/teams-settings", (string t, TeamsSettings settings, EmulatorState s) =>
        {
            if (s.FindTenant(t) is not { } tenant)
            {
                return NoTenant(t);
            }

            lock (s.Sync)
            {
                tenant.TeamsSettings = settings.Clone();
            }

            return Results.Json(ToNode(settings));
        });

        MapSet(admin, "consents", t => t.ConsentedApps);
        MapSet(admin, "app-access-policies", t => t.ApplicationAccessPolicyApps);

        admin.MapGet("/tenants/{t}/outbox", (string t, EmulatorState s) =>
        {
            if (s.FindTenant(t) is not { } tenant)
            {
                return NoTenant(t);
            }

            lock (s.Sync)
            {
                var list = new JsonArray();
                foreach (var m in tenant.Outbox)
                {
                    list.Add(new JsonObject
                    {
                        ["to"] = m.To,
                        ["subject"] = m.Subject,
                        ["joinUrl"] = m.JoinUrl,
                        ["organizer"] = m.Organizer,
                        ["eventId"] = m.EventId,
                        ["start"] = m.Start?.DeepClone(),
                        ["end"] = m.End?.DeepClone(),
                        ["sentDateTime"] = m.SentAt.ToString("o"),
                        ["body"] = m.Body,
                    });
                }
                return Results.Json(new JsonObject { ["value"] = list });
            }
        });

        admin.MapDelete("/tenants/{t}/outbox", (string t, EmulatorState s) =>
        {
            if (s.FindTenant(t) is not { } tenant)
            {
                return NoTenant(t);
            }

            lock (s.Sync)
            {
                tenant.Outbox.Clear();
            }

            return Results.NoContent();
        });

        admin.MapMailEndpoints();

        admin.MapPost("/tenants/{t}/users", (string t, JsonObject user, EmulatorState s) =>
        {
            if (s.FindTenant(t) is not { } tenant)
            {
                return NoTenant(t);
            }

            lock (s.Sync)
            {
                var copy = (JsonObject)user.DeepClone();
                UserModel.Normalize(copy);
                if (tenant.FindUser((string?)copy["userPrincipalName"] ?? "") is not null)
                {
                    return Results.Conflict(new JsonObject { ["error"] = "userPrincipalName already exists." });
                }
                tenant.Users.Add(copy);
                return Results.Json(copy.DeepClone(), statusCode: 201);
            }
        });

        admin.MapPost("/tenants/{t}/groups/{g}/members", (string t, string g, JsonObject body, EmulatorState s) =>
        {
            if (s.FindTenant(t) is not { } tenant)
            {
                return NoTenant(t);
            }

            lock (s.Sync)
            {
                var group = tenant.FindGroup(g);
                var user = tenant.FindUser((string?)body["id"] ?? (string?)body["userPrincipalName"] ?? "");
                if (group is null || user is null)
                {
                    return Results.NotFound(new JsonObject { ["error"] = "Group or user not found." });
                }

                var id = (string)user["id"]!;
                if (!group.MemberIds.Contains(id))
                {
                    group.MemberIds.Add(id);
                }

                return Results.NoContent();
            }
        });

        admin.MapDelete("/tenants/{t}/groups/{g}/members/{u}", (string t, string g, string u, EmulatorState s) =>
        {
            if (s.FindTenant(t) is not { } tenant)
            {
                return NoTenant(t);
            }

            lock (s.Sync)
            {
                var group = tenant.FindGroup(g);
                var user = tenant.FindUser(u);
                if (group is null || user is null)
                {
                    return Results.NotFound(new JsonObject { ["error"] = "Group or user not found." });
                }

                group.MemberIds.Remove((string)user["id"]!);
                return Results.NoContent();
            }
        });

        admin.MapPut("/tenants/{t}/skus", (string t, SkuData sku, EmulatorState s) =>
        {
            if (s.FindTenant(t) is not { } tenant)
            {
                return NoTenant(t);
            }

            lock (s.Sync)
            {
                tenant.Skus.RemoveAll(x => x.SkuId == sku.SkuId);
                tenant.Skus.Add(sku);
            }
            return Results.Json(ToNode(sku));
        });

        admin.MapPost("/apps", (AppRegistrationData a, EmulatorState s) => Register(s, s.Apps, a));

        admin.MapPost("/partner-clients", (PartnerClientData p, EmulatorState s) =>
        {
            lock (s.Sync)
            {
                s.PartnerClients.RemoveAll(x => string.Equals(x.ClientId, p.ClientId, StringComparison.OrdinalIgnoreCase));
                s.PartnerClients.Add(p);
            }
            return Results.NoContent();
        });

        admin.MapPost("/partner-apps", (AppRegistrationData a, EmulatorState s) => Register(s, s.PartnerApps, a));

        admin.MapPost("/partner-staff", (PartnerStaffData p, EmulatorState s) =>
            string.IsNullOrWhiteSpace(p.UserPrincipalName)
                ? Results.BadRequest(new { error = "userPrincipalName is required" })
                : Results.Json(s.AddPartnerStaff(p)));

        admin.MapGet("/throttling", (EmulatorState s) => Results.Json(ToNode(s.Throttler.Settings)));
        admin.MapPut("/throttling", (ThrottlingSettings settings, EmulatorState s) =>
        {
            s.Throttler.Settings = settings;
            return Results.Json(ToNode(s.Throttler.Settings));
        });

        admin.MapGet("/faults", (EmulatorState s) => Results.Json(ToNode(s.Faults.Settings)));
        admin.MapPut("/faults", (FaultSettings settings, EmulatorState s) =>
        {
            s.Faults.Settings = settings;
            return Results.Json(ToNode(s.Faults.Settings));
        });

        admin.MapGet("/faults/refusals", (EmulatorState s) => Results.Json(s.Faults.Refusals));
        admin.MapPost("/faults/refusals", (RefusalFault refusal, EmulatorState s) =>
        {
            s.Faults.Refuse(refusal);
            return Results.Json(s.Faults.Refusals);
        });

        admin.MapGet("/counters", (EmulatorState s) => Results.Json(s.Counters.ToJson()));
        admin.MapDelete("/counters", (EmulatorState s) => { s.Counters.Reset(); return Results.NoContent(); });
        admin.MapPost("/counters/reset", (EmulatorState s) => { s.Counters.Reset(); return Results.NoContent(); });
        admin.MapGet("/requests", (EmulatorState s) => Results.Json(s.Requests.ToJson()));
        admin.MapDelete("/requests", (EmulatorState s) => { s.Requests.Clear(); return Results.NoContent(); });

        admin.MapPost("/partner-tokens", (PartnerTokenRequest req, EmulatorState s, TokenIssuer issuer) =>
        {
            if (string.IsNullOrWhiteSpace(req.PartnerId))
            {
                return Results.BadRequest(new JsonObject { ["error"] = "partnerId is required." });
            }

            var lifetime = TimeSpan.FromSeconds(req.LifetimeSeconds is > 0 ? req.LifetimeSeconds.Value : 3600);
            var roles = req.Roles ?? ["RAOrchestrator.Read", "RAOrchestrator.Write"];
            var token = issuer.MintPartnerToken(s.BaseAddress, s.PartnerIssuer, req.ClientId ?? $"{req.PartnerId}-local", req.PartnerId, roles, lifetime);
            return Results.Json(new JsonObject
            {
                ["access_token"] = token,
                ["token_type"] = "Bearer",
                ["expires_in"] = (int)lifetime.TotalSeconds,
                ["issuer"] = TokenIssuer.PartnerIssuerUri(s.BaseAddress, s.PartnerIssuer),
                ["audience"] = TokenIssuer.PartnerAudience,
            });
        });
    }

    /// <summary>Adds an app registration, replacing one with the same client id.</summary>
    private static IResult Register(EmulatorState state, List<AppRegistrationData> apps, AppRegistrationData app)
    {
        lock (state.Sync)
        {
            apps.RemoveAll(x => string.Equals(x.ClientId, app.ClientId, StringComparison.OrdinalIgnoreCase));
            apps.Add(app);
        }

        return Results.NoContent();
    }

    private static void MapSet(RouteGroupBuilder admin, string name, Func<TenantState, HashSet<string>> set)
    {
        admin.MapGet($"/tenants/{{t}}/{name}", (string t, EmulatorState s) =>
        {
            if (s.FindTenant(t) is not { } tenant)
            {
                return NoTenant(t);
            }

            lock (s.Sync)
            {
                return Results.Json(new JsonObject { ["value"] = new JsonArray(set(tenant).Select(x => (JsonNode?)x).ToArray()) });
            }
        });
        admin.MapPut($"/tenants/{{t}}/{name}/{{clientId}}", (string t, string clientId, EmulatorState s) =>
        {
            if (s.FindTenant(t) is not { } tenant)
            {
                return NoTenant(t);
            }

            lock (s.Sync)
            {
                set(tenant).Add(clientId);
            }

            return Results.NoContent();
        });
        admin.MapDelete($"/tenants/{{t}}/{name}/{{clientId}}", (string t, string clientId, EmulatorState s) =>
        {
            if (s.FindTenant(t) is not { } tenant)
            {
                return NoTenant(t);
            }

            lock (s.Sync)
            {
                set(tenant).Remove(clientId);
            }

            return Results.NoContent();
        });
    }

    /// <summary>The whole tenant as JSON (users with every stored property).</summary>
    public static JsonObject Dump(EmulatorState s, TenantState t)
    {
        lock (s.Sync)
        {
            var skus = new JsonArray();
            foreach (var sku in t.Skus)
            {
                var node = ToNode(sku)!.AsObject();
                node["consumedUnits"] = t.ConsumedUnits(sku.SkuId);
                skus.Add(node);
            }
            var groups = new JsonArray();
            foreach (var g in t.Groups)
            {
                var node = (JsonObject)g.Properties.DeepClone();
                node["members"] = new JsonArray(g.MemberIds.Select(m => (JsonNode?)m).ToArray());
                groups.Add(node);
            }
            return new JsonObject
            {
                ["id"] = t.Id,
                ["displayName"] = t.DisplayName,
                ["domains"] = ToNode(t.Domains),
                ["consentedApps"] = new JsonArray(t.ConsentedApps.Select(x => (JsonNode?)x).ToArray()),
                ["applicationAccessPolicyApps"] = new JsonArray(t.ApplicationAccessPolicyApps.Select(x => (JsonNode?)x).ToArray()),
                ["teamsSettings"] = ToNode(t.TeamsSettings),
                ["skus"] = skus,
                ["mutuallyExclusiveSkus"] = new JsonArray(t.MutuallyExclusiveSkus.Select(p => (JsonNode?)new JsonArray(p.A.ToString(), p.B.ToString())).ToArray()),
                ["users"] = new JsonArray(t.Users.Select(u => (JsonNode?)u.DeepClone()).ToArray()),
                ["groups"] = groups,
                ["directoryRoles"] = DirectoryRoles(t),
                ["events"] = new JsonArray(t.Events.Select(e => (JsonNode?)e.Body.DeepClone()).ToArray()),
                ["onlineMeetings"] = new JsonArray(t.OnlineMeetings.Select(e => (JsonNode?)e.Body.DeepClone()).ToArray()),
                ["outboxCount"] = t.Outbox.Count,
                ["mailCount"] = t.Mail.Count,
            };
        }
    }

    private static JsonArray DirectoryRoles(TenantState t) => new([.. t.DirectoryRoles
        .SelectMany(kv => kv.Value.Select(role => (Role: role, User: kv.Key)))
        .GroupBy(x => x.Role)
        .Select(g => (JsonNode?)new JsonObject
        {
            ["roleTemplateId"] = g.Key.ToString(),
            ["members"] = new JsonArray([.. g.Select(x => (JsonNode?)x.User)]),
        })]);
}

public sealed class PartnerTokenRequest
{
    public string PartnerId { get; set; } = "";
    public List<string>? Roles { get; set; }
    public int? LifetimeSeconds { get; set; }
    public string? ClientId { get; set; }
}
