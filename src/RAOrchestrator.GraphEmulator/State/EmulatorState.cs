using System.Text.Json.Nodes;

namespace RAOrchestrator.GraphEmulator.State;

/// <summary>
/// All emulator state. Directory data is guarded by one lock (<see cref="Sync"/>): the emulator favours
/// simple and correct over fast. Throttling, faults and counters have their own locks.
/// </summary>
public sealed class EmulatorState
{
    public const string DefaultPartnerIssuer = "raorchestrator-partners";

    public Lock Sync { get; } = new();
    /// <summary>The partner issuer's tenant id (the path segment of its authority); its directory is <see cref="PartnerDirectory"/>.</summary>
    public string PartnerIssuer { get => PartnerDirectory.Id; set => PartnerDirectory.Id = value; }
    public List<AppRegistrationData> Apps { get; } = [];
    public List<PartnerClientData> PartnerClients { get; } = [];

    /// <summary>
    /// The partner issuer's own directory, where partners' staff sign in (not a customer tenant: no Graph, not in
    /// <see cref="Tenants"/>). Its users are the staff; <see cref="PartnerStaff"/> holds their partner and app roles.
    /// </summary>
    public TenantState PartnerDirectory { get; } = new() { Id = DefaultPartnerIssuer, DisplayName = "RAOrchestrator partners" };

    /// <summary>Apps registered at the partner issuer for interactive sign-in.</summary>
    public List<AppRegistrationData> PartnerApps { get; } = [];

    /// <summary>Partners' staff by user id: the claims the partner issuer adds to their tokens.</summary>
    public Dictionary<string, PartnerStaffData> PartnerStaff { get; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<string, TenantState> Tenants { get; } = new(StringComparer.OrdinalIgnoreCase);
    public Counters Counters { get; } = new();
    public RequestLog Requests { get; } = new();

    /// <summary>
    /// Graph requests by endpoint (e.g. <c>POST /$batch</c>) counted as they arrive, before any injected latency or
    /// token check: how a test knows a request is in flight, to kill its sender then.
    /// </summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, int> Arrivals { get; } = new(StringComparer.Ordinal);
    public Throttler Throttler { get; }
    public FaultInjector Faults { get; }

    /// <summary>The emulator's clock (tests move it).</summary>
    public TimeProvider Time { get; }

    /// <summary>https://127.0.0.1:port/ once the server listens.</summary>
    public Uri BaseAddress { get; internal set; } = new("https://127.0.0.1/");

    public EmulatorState(ThrottlingSettings throttling, FaultSettings faults, TimeProvider time)
    {
        Time = time;
        Throttler = new Throttler(throttling, time);
        Faults = new FaultInjector(faults);
    }

    public void Load(EmulatorData data)
    {
        lock (Sync)
        {
            if (!string.IsNullOrEmpty(data.PartnerIssuer))
            {
                PartnerIssuer = data.PartnerIssuer;
            }

            Apps.AddRange(data.Apps);
            PartnerClients.AddRange(data.PartnerClients);
            PartnerApps.AddRange(data.PartnerApps);
            foreach (var staff in data.PartnerStaff)
            {
                AddPartnerStaff(staff);
            }

            foreach (var t in data.Tenants)
            {
                AddTenant(t);
            }
        }
    }

    /// <summary>Finds a tenant by id or by one of its domain names.</summary>
    public TenantState? FindTenant(string idOrDomain)
    {
        lock (Sync)
        {
            if (Tenants.TryGetValue(idOrDomain, out var t))
            {
                return t;
            }

            return Tenants.Values.FirstOrDefault(x => x.IsVerifiedDomain(idOrDomain));
        }
    }

    /// <summary>Where a user signs in at <c>/{tenant}/...</c>: the partner issuer's directory, or a customer tenant by id or domain.</summary>
    public TenantState? FindSignInDirectory(string tenant) =>
        IsPartnerIssuer(tenant) ? PartnerDirectory : FindTenant(tenant);

    public bool IsPartnerIssuer(string tenant) => string.Equals(tenant, PartnerIssuer, StringComparison.OrdinalIgnoreCase);

    /// <summary>An app a user of <paramref name="directory"/> may sign in to: a partner app at the partner issuer, else a (multi-tenant) app.</summary>
    public AppRegistrationData? FindSignInApp(TenantState directory, string clientId)
    {
        if (!ReferenceEquals(directory, PartnerDirectory))
        {
            return FindApp(clientId);
        }

        lock (Sync)
        {
            return PartnerApps.FirstOrDefault(a => string.Equals(a.ClientId, clientId, StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>Adds (or replaces, by user principal name) a partner's staff member in the partner issuer's directory.</summary>
    public PartnerStaffData AddPartnerStaff(PartnerStaffData staff)
    {
        lock (Sync)
        {
            if (PartnerDirectory.FindUser(staff.UserPrincipalName) is { } existing)
            {
                PartnerDirectory.Users.Remove(existing);
                PartnerStaff.Remove((string)existing["id"]!);
            }

            staff.Id = string.IsNullOrEmpty(staff.Id) ? Guid.NewGuid().ToString() : staff.Id;
            PartnerDirectory.Users.Add(new JsonObject
            {
                ["id"] = staff.Id,
                ["userPrincipalName"] = staff.UserPrincipalName,
                ["displayName"] = staff.DisplayName,
                ["accountEnabled"] = staff.AccountEnabled,
                ["userType"] = "Member",
            });
            PartnerStaff[staff.Id] = staff;
            return staff;
        }
    }

    public TenantState GetTenant(string id) =>
        FindTenant(id) ?? throw new KeyNotFoundException($"Tenant '{id}' is not in the emulator.");

    public AppRegistrationData? FindApp(string clientId)
    {
        lock (Sync)
        {
            return Apps.FirstOrDefault(a => string.Equals(a.ClientId, clientId, StringComparison.OrdinalIgnoreCase));
        }
    }

    public TenantState AddTenant(TenantData data)
    {
        lock (Sync)
        {
            if (string.IsNullOrWhiteSpace(data.Id))
            {
                throw new ArgumentException("A tenant needs an id.");
            }

            if (Tenants.ContainsKey(data.Id))
            {
                throw new InvalidOperationException($"Tenant '{data.Id}' already exists.");
            }

            var t = new TenantState { Id = data.Id, DisplayName = data.DisplayName, TeamsSettings = data.TeamsSettings.Clone() };
            t.Domains.AddRange(data.Domains);
            t.TemporaryAccessPassPolicy = data.TemporaryAccessPassPolicy?.Clone() ?? new();
            foreach (var (app, permissions) in data.AppPermissions)
            {
                t.AppPermissions[app] = [.. permissions];
            }
            if (t.Domains.Count == 0)
            {
                t.Domains.Add(new DomainData { Name = $"tenant{Tenants.Count + 1}.onmicrosoft.com", IsDefault = true, IsInitial = true });
            }
            foreach (var c in data.ConsentedApps)
            {
                t.ConsentedApps.Add(c);
            }

            foreach (var c in data.ApplicationAccessPolicyApps)
            {
                t.ApplicationAccessPolicyApps.Add(c);
            }

            t.Skus.AddRange(data.Skus);
            foreach (var pair in data.MutuallyExclusiveSkus)
            {
                if (pair.Count != 2)
                {
                    throw new ArgumentException("mutuallyExclusiveSkus holds pairs.");
                }

                t.MutuallyExclusiveSkus.Add((ResolveSku(t, pair[0]), ResolveSku(t, pair[1])));
            }
            foreach (var u in data.Users)
            {
                var user = (JsonObject)u.DeepClone();
                Graph.UserModel.Normalize(user);
                t.Users.Add(user);
            }
            foreach (var g in data.Groups)
            {
                var id = g.Id ?? Guid.NewGuid().ToString();
                var props = new JsonObject
                {
                    ["id"] = id,
                    ["displayName"] = g.DisplayName,
                    ["mailNickname"] = g.MailNickname ?? g.DisplayName.Replace(" ", ""),
                    ["description"] = g.Description,
                    ["securityEnabled"] = g.SecurityEnabled,
                    ["mailEnabled"] = g.MailEnabled,
                    ["groupTypes"] = new JsonArray(),
                };
                var group = new GroupState { Id = id, Properties = props };
                foreach (var m in g.Members)
                {
                    var user = t.FindUser(m) ?? throw new ArgumentException($"Group '{g.DisplayName}' member '{m}' is not a user of tenant '{t.Id}'.");
                    group.MemberIds.Add((string)user["id"]!);
                }
                t.Groups.Add(group);
            }
            foreach (var role in data.DirectoryRoles)
            {
                foreach (var m in role.Members)
                {
                    var user = t.FindUser(m) ?? throw new ArgumentException($"Directory role '{role.RoleTemplateId}' member '{m}' is not a user of tenant '{t.Id}'.");
                    var id = (string)user["id"]!;
                    if (!t.DirectoryRoles.TryGetValue(id, out var roles))
                    {
                        t.DirectoryRoles[id] = roles = [];
                    }

                    roles.Add(role.RoleTemplateId);
                }
            }
            Tenants[t.Id] = t;
            return t;
        }
    }

    private static Guid ResolveSku(TenantState t, string idOrPart)
    {
        if (Guid.TryParse(idOrPart, out var g))
        {
            return g;
        }

        return t.Skus.FirstOrDefault(s => string.Equals(s.SkuPartNumber, idOrPart, StringComparison.OrdinalIgnoreCase))?.SkuId
            ?? throw new ArgumentException($"Unknown SKU '{idOrPart}' in mutuallyExclusiveSkus of tenant '{t.Id}'.");
    }
}
