using System.Text.Json.Nodes;
using RAOrchestrator.GraphEmulator.State;

namespace RAOrchestrator.GraphEmulator.Graph;

public sealed partial class GraphApi
{
    private GraphResponse GetSubscribedSkus(GraphRequest r)
    {
        var t = r.Tenant;
        var items = t.Skus.Select(s => SkuJson(t, s)).ToList();
        return Page(r, items, "subscribedSkus", o => UserModel.Project(o, r.QueryValue("$select"), o.Select(kv => kv.Key).ToList()));
    }

    private static JsonObject SkuJson(TenantState t, SkuData s)
    {
        var plans = new JsonArray();
        foreach (var p in s.ServicePlans)
        {
            plans.Add(new JsonObject
            {
                ["servicePlanId"] = p.ServicePlanId.ToString(),
                ["servicePlanName"] = p.ServicePlanName,
                ["provisioningStatus"] = "Success",
                ["appliesTo"] = "User",
            });
        }
        return new JsonObject
        {
            ["accountId"] = t.Id,
            ["accountName"] = t.DisplayName,
            ["appliesTo"] = "User",
            ["capabilityStatus"] = "Enabled",
            ["consumedUnits"] = t.ConsumedUnits(s.SkuId),
            ["id"] = $"{t.Id}_{s.SkuId}",
            ["prepaidUnits"] = new JsonObject
            {
                ["enabled"] = s.Enabled,
                ["suspended"] = s.Suspended,
                ["warning"] = s.Warning,
                ["lockedOut"] = s.LockedOut,
            },
            ["servicePlans"] = plans,
            ["skuId"] = s.SkuId.ToString(),
            ["skuPartNumber"] = s.SkuPartNumber,
            ["subscriptionIds"] = new JsonArray(TokenIssuerGuid(t.Id + s.SkuId).ToString()),
        };
    }

    private static Guid TokenIssuerGuid(string s) => Tokens.TokenIssuer.StableGuid(s);

    private GraphResponse AssignLicense(GraphRequest r, string id)
    {
        var t = r.Tenant;
        var u = t.FindUser(id);
        if (u is null)
        {
            return GraphResponse.NotFound(id);
        }

        if (BodyObject(r) is not { } body)
        {
            return GraphResponse.BadRequest("Empty Payload. JSON content expected.");
        }

        if (body["addLicenses"] is not JsonArray add)
        {
            return GraphResponse.BadRequest("Invalid value specified for property 'addLicenses' of resource 'Microsoft.DirectoryServices.User'.");
        }

        if (body["removeLicenses"] is not JsonArray remove)
        {
            return GraphResponse.BadRequest("Invalid value specified for property 'removeLicenses' of resource 'Microsoft.DirectoryServices.User'.");
        }

        var adds = new List<(Guid SkuId, JsonArray DisabledPlans)>();
        foreach (var a in add)
        {
            if (!Guid.TryParse((string?)a?["skuId"], out var skuId))
            {
                return GraphResponse.BadRequest("Invalid value specified for property 'skuId' of resource 'AssignedLicense'.");
            }

            adds.Add((skuId, a!["disabledPlans"]?.DeepClone() as JsonArray ?? new JsonArray()));
        }
        var removes = new List<Guid>();
        foreach (var x in remove)
        {
            if (!Guid.TryParse((string?)x, out var skuId))
            {
                return GraphResponse.BadRequest("Invalid value specified for property 'removeLicenses' of resource 'Microsoft.DirectoryServices.User'.");
            }

            removes.Add(skuId);
        }

        if (adds.Count > 0 && ((string?)u["usageLocation"])?.Length is not 2)
        {
            return GraphResponse.BadRequest("License assignment cannot be done for user with invalid usage location.");
        }
        foreach (var skuId in adds.Select(a => a.SkuId).Concat(removes))
        {
            if (t.FindSku(skuId) is null)
            {
                return GraphResponse.BadRequest($"License {skuId} does not correspond to a valid company License.");
            }
        }
        foreach (var skuId in removes)
        {
            if (!TenantState.UserHasSku(u, skuId))
            {
                return GraphResponse.BadRequest("User does not have a corresponding license.");
            }
        }
        foreach (var (skuId, _) in adds)
        {
            var sku = t.FindSku(skuId)!;
            if (!TenantState.UserHasSku(u, skuId) && t.ConsumedUnits(skuId) + 1 > sku.Enabled)
            {
                return GraphResponse.BadRequest($"Subscription with SKU {skuId} does not have any available licenses.");
            }
        }
        var final = ((JsonArray)u["assignedLicenses"]!).Select(l => Guid.Parse((string)l!["skuId"]!))
            .Where(s => !removes.Contains(s)).Concat(adds.Select(a => a.SkuId)).ToHashSet();
        foreach (var (a, b) in t.MutuallyExclusiveSkus)
        {
            if (final.Contains(a) && final.Contains(b))
            {
                var planA = t.FindSku(a)?.ServicePlans.FirstOrDefault()?.ServicePlanId ?? a;
                var planB = t.FindSku(b)?.ServicePlans.FirstOrDefault()?.ServicePlanId ?? b;
                return GraphResponse.BadRequest($"License assignment failed because service plans {planA},{planB} are mutually exclusive.");
            }
        }

        var assigned = (JsonArray)u["assignedLicenses"]!;
        var states = (JsonArray)u["licenseAssignmentStates"]!;
        foreach (var skuId in removes)
        {
            RemoveSku(assigned, skuId);
            RemoveSku(states, skuId);
        }
        foreach (var (skuId, disabled) in adds)
        {
            // Re-assigning a SKU the user holds updates its disabled plans and takes no second seat.
            RemoveSku(assigned, skuId);
            RemoveSku(states, skuId);
            assigned.Add(new JsonObject { ["disabledPlans"] = disabled.DeepClone(), ["skuId"] = skuId.ToString() });
            states.Add(UserModel.LicenseState(skuId.ToString(), (JsonArray)disabled.DeepClone()));
        }
        return GraphResponse.Ok(WithContext(r, "users/$entity", UserModel.Project(u, null, UserModel.DefaultProperties)));
    }

    private static void RemoveSku(JsonArray list, Guid skuId)
    {
        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (Guid.TryParse((string?)list[i]?["skuId"], out var g) && g == skuId)
            {
                list.RemoveAt(i);
            }
        }
    }
}
