using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RAOrchestrator.GraphEmulator.State;
using RAOrchestrator.GraphEmulator.Tokens;

namespace RAOrchestrator.GraphEmulator.Graph;

/// <summary>
/// Everything in front of the resources: bearer token, counters, injected faults, throttling, $batch, and
/// writing OData responses. Mounted at <c>/v1.0</c>.
/// </summary>
public sealed class GraphPipeline(EmulatorState state, GraphApi api, TokenIssuer issuer, TimeProvider time)
{
    public const int MaxBatchRequests = 20;

    private static readonly JsonSerializerOptions JsonOutput = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private const string BatchEndpoint = "POST /$batch";

    public async Task HandleAsync(HttpContext http)
    {
        var arrived = time.GetUtcNow();
        var requestId = Guid.NewGuid().ToString();
        var clientRequestId = http.Request.Headers["client-request-id"].FirstOrDefault();
        var rest = (http.Request.Path.Value ?? "").Trim('/');
        string[] segments = rest.Length == 0 ? [] : rest.Split('/');
        var method = http.Request.Method;
        var isBatch = segments is ["$batch"];
        var endpoint = isBatch ? BatchEndpoint : GraphApi.EndpointName(method, segments);

        state.Arrivals.AddOrUpdate(endpoint, 1, static (_, n) => n + 1);
        var faults = state.Faults.Settings;
        if (faults.LatencyMs > 0)
        {
            await Task.Delay(faults.LatencyMs, http.RequestAborted);
        }

        var auth = http.Request.Headers.Authorization.FirstOrDefault();
        var token = auth is not null && auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? auth[7..].Trim() : null;
        var (caller, tokenError) = await issuer.ValidateGraphTokenAsync(token);
        var tenant = caller is null ? null : state.FindTenant(caller.TenantId);
        if (caller is null || tenant is null)
        {
            state.Counters.Update(Counters.Unauthenticated, endpoint, (c, e) => { c.Requests++; e!.Requests++; });
            await AnswerAsync(http, new Logged(arrived, caller?.AppId ?? "", Counters.Unauthenticated, endpoint), GraphResponse.Error(401, "InvalidAuthenticationToken", tokenError ?? "Access token validation failure. Invalid tenant.")
                .Complete(requestId, clientRequestId, time.GetUtcNow()));
            return;
        }

        var logged = new Logged(arrived, caller.AppId, tenant.Id, endpoint);
        var early = state.Throttler.IsEarly(caller.AppId, tenant.Id, arrived);
        state.Counters.Update(tenant.Id, endpoint, (c, e) =>
        {
            c.Requests++;
            e!.Requests++;
            if (early)
            {
                c.EarlyRequests++;
            }

            if (isBatch)
            {
                c.BatchCalls++;
            }
        });

        bool consented;
        lock (state.Sync)
        {
            consented = tenant.ConsentedApps.Contains(caller.AppId);
        }

        if (!consented)
        {
            await AnswerAsync(http, logged, GraphResponse.Error(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
                .Complete(requestId, clientRequestId, time.GetUtcNow()));
            return;
        }

        var fault = state.Faults.Roll(allowDrop: true, endpoint);
        if (fault == FaultKind.DropConnection)
        {
            state.Counters.Update(tenant.Id, null, (c, _) => c.FaultsInjected++);
            state.Requests.Add(logged.Record(time.GetUtcNow(), 0, null));
            http.Abort();
            return;
        }
        if (fault == FaultKind.Hang)
        {
            state.Counters.Update(tenant.Id, null, (c, _) => c.FaultsInjected++);
            state.Requests.Add(logged.Record(time.GetUtcNow(), 0, null));
            await HangAsync(http.RequestAborted);
            return;
        }
        if (fault != FaultKind.None)
        {
            await AnswerAsync(http, logged, FaultResponse(fault, caller, tenant.Id, endpoint).Complete(requestId, clientRequestId, time.GetUtcNow()));
            return;
        }
        if (Refusal(tenant.Id, endpoint) is { } refused)
        {
            await AnswerAsync(http, logged, refused.Complete(requestId, clientRequestId, time.GetUtcNow()));
            return;
        }

        JsonNode? body = null;
        var invalidJson = false;
        if (http.Request.ContentLength is > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            try
            {
                body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            }
            catch (JsonException)
            {
                invalidJson = true;
            }
        }

        var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        if (isBatch)
        {
            if (!HttpMethods.IsPost(method))
            {
                await AnswerAsync(http, logged, GraphResponse.Error(405, "BadRequest", "Specified HTTP method is not allowed for the request target.").Complete(requestId, clientRequestId, time.GetUtcNow()));
                return;
            }
            var inner = new List<GraphRequestRecord>();
            var batch = invalidJson ? InvalidBatch("Invalid batch payload format.") : RunBatch(body, caller, tenant, arrived, inner);
            try
            {
                await AnswerAsync(http, logged, batch.Complete(requestId, clientRequestId, time.GetUtcNow()));
            }
            finally
            {
                // The inner requests were answered with their batch, not when each was run.
                var answered = time.GetUtcNow();
                foreach (var record in inner)
                {
                    state.Requests.Add(record with { Answered = answered });
                }
            }

            return;
        }

        var request = new GraphRequest
        {
            Method = method,
            Segments = segments,
            Query = GraphRequest.ParseQuery(http.Request.QueryString.Value),
            Headers = headers,
            Body = body,
            BodyIsInvalidJson = invalidJson,
            Caller = caller,
            Tenant = tenant,
            BaseAddress = state.BaseAddress,
        };
        await AnswerAsync(http, logged, Execute(request, endpoint).Complete(requestId, clientRequestId, time.GetUtcNow()));
    }

    /// <summary>Holds a request unanswered until its client goes away.</summary>
    internal static async Task HangAsync(CancellationToken aborted)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, aborted);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private GraphResponse FaultResponse(FaultKind fault, GraphCaller caller, string tenantId, string endpoint)
    {
        state.Counters.Update(tenantId, endpoint, (c, e) =>
        {
            c.FaultsInjected++;
            if (fault == FaultKind.TooManyRequests) { c.Throttled++; e!.Throttled++; }
        });
        switch (fault)
        {
            case FaultKind.ServiceUnavailable:
                {
                    var r = GraphResponse.Error(503, "serviceNotAvailable", "The service is temporarily unavailable. Please retry later.");
                    if (state.Faults.Settings.ServiceUnavailableRetryAfterSeconds is var seconds and > 0)
                    {
                        r.Headers["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture);
                        state.Throttler.RecordRetryAfter(caller.AppId, tenantId, seconds);
                    }

                    return r;
                }
            case FaultKind.GatewayTimeout:
                return GraphResponse.Error(504, "UnknownError", "The gateway did not receive a response in time.");
            default:
                {
                    var seconds = Math.Max(1, state.Faults.Settings.Forced429RetryAfterSeconds);
                    state.Throttler.RecordRetryAfter(caller.AppId, tenantId, seconds);
                    return GraphResponse.TooManyRequests(seconds);
                }
        }
    }

    /// <summary>A one-shot refusal waiting for this endpoint (see <see cref="RefusalFault"/>), counted as an injected fault.</summary>
    private GraphResponse? Refusal(string tenantId, string endpoint)
    {
        if (state.Faults.TakeRefusal(endpoint) is not { } refusal)
        {
            return null;
        }

        state.Counters.Update(tenantId, endpoint, (c, _) => c.FaultsInjected++);
        return GraphResponse.Error(refusal.Status, refusal.Code, refusal.Message);
    }

    /// <summary>Throttles and runs one request (top-level or inner).</summary>
    private GraphResponse Execute(GraphRequest r, string endpoint)
    {
        int users;
        lock (state.Sync)
        {
            users = r.Tenant.Users.Count;
        }

        var cost = GraphApi.Cost(r.Method, r.Segments, r.Query);
        var decision = state.Throttler.Charge(r.Caller.AppId, r.Tenant.Id, users, cost, GraphApi.IsWrite(r.Method));
        GraphResponse response;
        if (!decision.Allowed)
        {
            state.Counters.Update(r.Tenant.Id, endpoint, (c, e) => { c.Throttled++; e!.Throttled++; });
            response = GraphResponse.TooManyRequests(decision.RetryAfterSeconds);
            response.Headers["x-ms-throttle-information"] = "ResourceUnitLimitExceeded";
        }
        else
        {
            response = api.Dispatch(r);
            response.Headers["x-ms-resource-unit"] = cost.ToString(CultureInfo.InvariantCulture);
        }
        if (decision.LimitPercentageHeader is { } pct)
        {
            response.Headers["x-ms-throttle-limit-percentage"] = pct;
        }

        if (decision.LimitPercentageHeader is not null || !decision.Allowed)
        {
            response.Headers["x-ms-throttle-scope"] = decision.Scope;
        }

        return response;
    }

    private static GraphResponse InvalidBatch(string message) => GraphResponse.Error(400, "BadRequest", message);

    private GraphResponse RunBatch(JsonNode? body, GraphCaller caller, TenantState tenant, DateTimeOffset arrived, List<GraphRequestRecord> inner)
    {
        if (body?["requests"] is not JsonArray requests)
        {
            return InvalidBatch("Invalid batch payload format.");
        }

        if (requests.Count == 0)
        {
            return InvalidBatch("Invalid batch payload format: the batch contains no requests.");
        }

        if (requests.Count > MaxBatchRequests)
        {
            return InvalidBatch($"The number of requests in the batch ({requests.Count}) exceeds the limit of {MaxBatchRequests}.");
        }
        var steps = new List<(string Id, JsonObject Request, string[] DependsOn)>();
        foreach (var node in requests)
        {
            if (node is not JsonObject o || (string?)o["id"] is not { Length: > 0 } id || (string?)o["method"] is null || (string?)o["url"] is null)
            {
                return InvalidBatch("Invalid batch payload format: each request needs an id, a method and a url.");
            }
            if (steps.Any(s => s.Id == id))
            {
                return InvalidBatch($"Request id '{id}' is duplicated in the batch.");
            }

            var deps = o["dependsOn"] is JsonArray d ? d.Select(x => (string?)x ?? "").ToArray() : [];
            steps.Add((id, o, deps));
        }
        foreach (var s in steps)
        {
            foreach (var dep in s.DependsOn)
            {
                if (steps.All(x => x.Id != dep))
                {
                    return InvalidBatch($"Request '{s.Id}' depends on '{dep}', which is not in the batch.");
                }
            }
        }

        var results = new Dictionary<string, JsonObject>();
        var statuses = new Dictionary<string, int>();
        var pending = new List<(string Id, JsonObject Request, string[] DependsOn)>(steps);
        while (pending.Count > 0)
        {
            var next = pending.FirstOrDefault(s => s.DependsOn.All(statuses.ContainsKey));
            if (next.Id is null)
            {
                // A cycle: nothing left can run.
                foreach (var s in pending)
                {
                    (results[s.Id], statuses[s.Id]) = (InnerResult(s.Id, FailedDependency()), 424);
                }

                break;
            }
            pending.Remove(next);
            var response = RunInner(next.Request, next.DependsOn, statuses, caller, tenant, arrived, inner);
            results[next.Id] = InnerResult(next.Id, response);
            statuses[next.Id] = response.Status;
        }
        var output = new JsonArray();
        foreach (var s in steps)
        {
            output.Add(results[s.Id]);
        }

        return GraphResponse.Ok(new JsonObject { ["responses"] = output });
    }

    private static GraphResponse FailedDependency() =>
        GraphResponse.Error(424, "FailedDependency", "Request failed because a request it depends on failed.");

    /// <summary>Runs one inner request; its record goes to <paramref name="inner"/>, logged once the batch is answered.</summary>
    private GraphResponse RunInner(JsonObject step, string[] dependsOn, Dictionary<string, int> statuses, GraphCaller caller, TenantState tenant, DateTimeOffset arrived, List<GraphRequestRecord> inner)
    {
        var response = RunInnerUnlogged(step, dependsOn, statuses, caller, tenant);
        var method = ((string)step["method"]!).ToUpperInvariant();
        inner.Add(new GraphRequestRecord(arrived, Answered: default, caller.AppId, tenant.Id, InnerEndpoint(method, (string)step["url"]!), response.Status, RetryAfterOf(response), Inner: true));
        return response;
    }

    private static string InnerEndpoint(string method, string url)
    {
        var q = url.IndexOf('?');
        return method + " " + (q < 0 ? url : url[..q]);
    }

    private GraphResponse RunInnerUnlogged(JsonObject step, string[] dependsOn, Dictionary<string, int> statuses, GraphCaller caller, TenantState tenant)
    {
        var requestId = Guid.NewGuid().ToString();
        var method = ((string)step["method"]!).ToUpperInvariant();
        var url = (string)step["url"]!;
        if (Uri.TryCreate(url, UriKind.Absolute, out var abs) && abs.Scheme.StartsWith("http", StringComparison.OrdinalIgnoreCase))
        {
            url = abs.PathAndQuery;
        }

        var q = url.IndexOf('?');
        var path = (q < 0 ? url : url[..q]).Trim('/');
        if (path.StartsWith("v1.0/", StringComparison.OrdinalIgnoreCase) || path == "v1.0")
        {
            path = path.Length > 4 ? path[5..] : "";
        }

        string[] segments = path.Length == 0 ? [] : path.Split('/').Select(Uri.UnescapeDataString).ToArray();
        var endpoint = GraphApi.EndpointName(method, segments);

        state.Counters.Update(tenant.Id, endpoint, (c, e) => { c.InnerBatchRequests++; e!.InnerBatchRequests++; });

        if (dependsOn.Any(d => statuses[d] is < 200 or > 299))
        {
            return FailedDependency().Complete(requestId, null, time.GetUtcNow());
        }

        var fault = state.Faults.Roll(allowDrop: false, endpoint);
        if (fault != FaultKind.None)
        {
            return FaultResponse(fault, caller, tenant.Id, endpoint).Complete(requestId, null, time.GetUtcNow());
        }

        if (Refusal(tenant.Id, endpoint) is { } refused)
        {
            return refused.Complete(requestId, null, time.GetUtcNow());
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (step["headers"] is JsonObject h)
        {
            foreach (var (k, v) in h)
            {
                headers[k] = v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : v?.ToJsonString() ?? "";
            }
        }
        JsonNode? body = step["body"]?.DeepClone();
        var invalid = false;
        if (body is JsonValue bodyText && bodyText.TryGetValue<string>(out var encoded))
        {
            // Non-JSON bodies are base64 in a batch; JSON ones may also arrive that way.
            try { body = JsonNode.Parse(Convert.FromBase64String(encoded)); }
            catch (Exception e) when (e is FormatException or JsonException) { invalid = true; }
        }
        var request = new GraphRequest
        {
            Method = method,
            Segments = segments,
            Query = GraphRequest.ParseQuery(q < 0 ? null : url[(q + 1)..]),
            Headers = headers,
            Body = body,
            BodyIsInvalidJson = invalid,
            Caller = caller,
            Tenant = tenant,
            BaseAddress = state.BaseAddress,
        };
        return Execute(request, endpoint).Complete(requestId, headers.GetValueOrDefault("client-request-id"), time.GetUtcNow());
    }

    private static JsonObject InnerResult(string id, GraphResponse r)
    {
        var headers = new JsonObject();
        foreach (var (k, v) in r.Headers)
        {
            headers[k] = v;
        }

        var o = new JsonObject { ["id"] = id, ["status"] = r.Status, ["headers"] = headers };
        if (r.Body is not null)
        {
            o["body"] = r.Body.DeepClone();
        }

        return o;
    }

    /// <summary>Who asked for what, and when it arrived: completed into the request log when answered.</summary>
    private sealed record Logged(DateTimeOffset Arrived, string App, string Tenant, string Endpoint)
    {
        public GraphRequestRecord Record(DateTimeOffset answered, int status, int? retryAfter) =>
            new(Arrived, answered, App, Tenant, Endpoint, status, retryAfter, Inner: false);
    }

    private static int? RetryAfterOf(GraphResponse r) =>
        r.Headers.TryGetValue("Retry-After", out var value) && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) ? seconds : null;

    private async Task AnswerAsync(HttpContext http, Logged logged, GraphResponse r)
    {
        state.Requests.Add(logged.Record(time.GetUtcNow(), r.Status, RetryAfterOf(r)));
        await WriteAsync(http, r);
        if (CarriesRetryAfter(r))
        {
            state.Throttler.Told(logged.App, logged.Tenant);
        }
    }

    /// <summary>Whether the answer tells its client to wait: a Retry-After of its own or on a response inside it (a batch's).</summary>
    private static bool CarriesRetryAfter(GraphResponse r) =>
        RetryAfterOf(r) is not null
        || r.Body?["responses"] is JsonArray inner && inner.Any(response => response?["headers"]?["Retry-After"] is not null);

    private static async Task WriteAsync(HttpContext http, GraphResponse r)
    {
        http.Response.StatusCode = r.Status;
        foreach (var (k, v) in r.Headers)
        {
            if (!string.Equals(k, "Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                http.Response.Headers[k] = v;
            }
        }
        if (r.Body is not null)
        {
            http.Response.ContentType = "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8";
            await http.Response.WriteAsync(r.Body.ToJsonString(JsonOutput), http.RequestAborted);
        }
    }
}
