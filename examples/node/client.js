'use strict';
// A raorchestrator.v1 client for Node.js: the services loaded from the repository's protos/ with
// @grpc/proto-loader, a partner token on every call, TLS trusting a given CA (or plaintext for a local service),
// round robin over every address of the target and the same retry policy as RAOrchestrator.Client, and the
// google.rpc error details of a failed call decoded for people.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const PROTOS = path.resolve(__dirname, '..', '..', 'protos');
const FILES = ['tenant', 'bulk_onboarding', 'operation', 'service_account', 'barrier', 'session', 'directory']
  .map((name) => `raorchestrator/v1/${name}.proto`);

const definition = protoLoader.loadSync(FILES, {
  includeDirs: [PROTOS],
  keepCase: true, // field names as the .proto spells them (tenant_id, page_token, ...)
  longs: String, // int64 (versions, sequences) as strings, without losing precision
  enums: String, // enum values by name (STATE_ACTIVE, ...)
  defaults: true, // every field present, zeros too
  oneofs: true, // a oneof's chosen field is named in a virtual property (e.g. person.identity)
});
const v1 = grpc.loadPackageDefinition(definition).raorchestrator.v1;
const SERVICES = ['TenantService', 'BulkOnboardingService', 'OperationService', 'ServiceAccountService',
  'BarrierService', 'SessionService', 'DirectoryService'];

// The methods that only read (watches too: a watch is repeated only before its first message). With the mutations
// whose request has a request_id, they are the calls repeated on UNAVAILABLE, as RAOrchestrator.Client repeats them
// (src/RAOrchestrator.Client/RetriedMethods.cs). Joining, admitting, leaving and the like are not repeated.
const READS = new Set([
  'GetTenant', 'ListTenants', 'GetTenantRunbook',
  'GetOperation', 'ListOperations', 'WatchOperation',
  'GetServiceAccount', 'ListServiceAccounts', 'GetLicenseSummary',
  'GetSegment', 'ListSegments', 'GetBarrierPolicy', 'ListBarrierPolicies', 'ExportBarrierPolicies', 'CheckBarrier',
  'GetSession', 'ListSessions', 'WatchSession',
  'SearchUsers',
]);

/** Whether a method's request has a request_id field (the service deduplicates by it). */
function hasRequestId(spec) {
  return spec.requestType.type.field.some((field) => field.name === 'request_id');
}

/**
 * The gRPC service config: round robin over every address the target resolves to (dns:///host:port, or
 * ipv4:a:1,b:2 for a fixed list), and UNAVAILABLE retried on reads and on mutations with a request_id.
 */
function serviceConfig() {
  const name = [];
  for (const service of SERVICES) {
    for (const [method, spec] of Object.entries(v1[service].service)) {
      if (READS.has(method) || hasRequestId(spec)) name.push({ service: `raorchestrator.v1.${service}`, method });
    }
  }

  return {
    loadBalancingConfig: [{ round_robin: {} }],
    methodConfig: [{
      name,
      retryPolicy: {
        maxAttempts: 5, initialBackoff: '0.2s', maxBackoff: '2s', backoffMultiplier: 2, retryableStatusCodes: ['UNAVAILABLE'],
      },
    }],
  };
}

/**
 * The methods (by path) whose request gets a fresh request_id when sent without one, so that its repeats carry the
 * same id and the service acts once: every mutation with a request_id but StartBulkOnboarding, whose request_id is
 * required (it names the bulk operation) and is sent as given.
 */
const FILLED = new Set(SERVICES.flatMap((service) => Object.values(v1[service].service))
  .filter((spec) => hasRequestId(spec) && !spec.path.endsWith('/StartBulkOnboarding'))
  .map((spec) => spec.path));

function requestIdInterceptor(options, nextCall) {
  const fills = FILLED.has(options.method_definition.path);
  return new grpc.InterceptingCall(nextCall(options), {
    sendMessage(message, next) {
      next(fills && !message.request_id ? { ...message, request_id: crypto.randomUUID() } : message);
    },
  });
}

/**
 * One channel to the API and a promise-returning client per service.
 * @param {{address: string, token: string, ca?: string, plaintext?: boolean}} options
 *   address host:port; ca a PEM file of the CA (or self-signed certificate) to trust; plaintext for scripts/run.sh.
 */
function connect({ address, token, ca, plaintext }) {
  let credentials;
  const channelOptions = { 'grpc.service_config': JSON.stringify(serviceConfig()), interceptors: [requestIdInterceptor] };
  if (plaintext) {
    // grpc-js refuses call credentials on an insecure channel (they would travel in clear text), so a local
    // plaintext service gets the token from an interceptor instead.
    credentials = grpc.credentials.createInsecure();
    channelOptions.interceptors.push((options, nextCall) => new grpc.InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        metadata.set('authorization', `Bearer ${token}`);
        next(metadata, listener);
      },
    }));
  } else {
    const bearer = grpc.credentials.createFromMetadataGenerator((_params, callback) => {
      const metadata = new grpc.Metadata();
      metadata.set('authorization', `Bearer ${token}`);
      callback(null, metadata);
    });
    const tls = grpc.credentials.createSsl(ca ? fs.readFileSync(ca) : null);
    credentials = grpc.credentials.combineChannelCredentials(tls, bearer);
  }

  const services = {};
  let channel = null;
  for (const name of SERVICES) {
    const options = channel ? { ...channelOptions, channelOverride: channel } : channelOptions;
    const client = new v1[name](address, credentials, options);
    channel = channel || client.getChannel();
    services[name] = promisify(client);
  }

  return {
    tenants: services.TenantService,
    bulkOnboarding: services.BulkOnboardingService,
    operations: services.OperationService,
    serviceAccounts: services.ServiceAccountService,
    barriers: services.BarrierService,
    sessions: services.SessionService,
    directory: services.DirectoryService,
    close: () => channel.close(),
  };
}

/** Unary methods return promises (30 s deadline); server-streaming methods return the stream (async-iterable). */
function promisify(client) {
  const wrapped = { raw: client };
  for (const [method, spec] of Object.entries(client.constructor.service)) {
    wrapped[method] = spec.responseStream
      ? (request, options = {}) => client[method](request, options)
      : (request) => new Promise((resolve, reject) => {
        client[method](request, { deadline: Date.now() + 30_000 }, (error, response) => (error ? reject(error) : resolve(response)));
      });
  }

  return wrapped;
}

// google.rpc.Status and the details RAOrchestrator sends (google/rpc/status.proto, error_details.proto), for
// protobufjs, which @grpc/proto-loader is built on.
const protobuf = require(require.resolve('protobufjs', { paths: [path.dirname(require.resolve('@grpc/proto-loader'))] }));
const rpc = protobuf.Root.fromJSON({
  nested: {
    google: {
      nested: {
        protobuf: { nested: { Any: { fields: { type_url: { type: 'string', id: 1 }, value: { type: 'bytes', id: 2 } } } } },
        rpc: {
          nested: {
            Status: {
              fields: { code: { type: 'int32', id: 1 }, message: { type: 'string', id: 2 }, details: { rule: 'repeated', type: 'google.protobuf.Any', id: 3 } },
            },
            ErrorInfo: {
              fields: { reason: { type: 'string', id: 1 }, domain: { type: 'string', id: 2 }, metadata: { keyType: 'string', type: 'string', id: 3 } },
            },
            BadRequest: {
              fields: { field_violations: { rule: 'repeated', type: 'FieldViolation', id: 1 } },
              nested: { FieldViolation: { fields: { field: { type: 'string', id: 1 }, description: { type: 'string', id: 2 } } } },
            },
            PreconditionFailure: {
              fields: { violations: { rule: 'repeated', type: 'Violation', id: 1 } },
              nested: { Violation: { fields: { type: { type: 'string', id: 1 }, subject: { type: 'string', id: 2 }, description: { type: 'string', id: 3 } } } },
            },
          },
        },
      },
    },
  },
});

/**
 * The google.rpc details of a failed call (the grpc-status-details-bin trailer): the ErrorInfo reason and domain,
 * the BadRequest field violations, the PreconditionFailure violations. Null when the error carries none.
 */
function errorDetails(error) {
  const [bin] = error && error.metadata ? error.metadata.get('grpc-status-details-bin') : [];
  if (!bin) return null;
  const status = rpc.lookupType('google.rpc.Status').decode(bin);
  const details = { reason: null, domain: null, metadata: {}, fieldViolations: [], preconditionViolations: [] };
  for (const any of status.details) {
    const type = any.type_url.slice(any.type_url.lastIndexOf('/') + 1);
    if (type === 'google.rpc.ErrorInfo') {
      const info = rpc.lookupType(type).decode(any.value);
      Object.assign(details, { reason: info.reason, domain: info.domain, metadata: info.metadata });
    } else if (type === 'google.rpc.BadRequest') {
      details.fieldViolations.push(...rpc.lookupType(type).decode(any.value).field_violations);
    } else if (type === 'google.rpc.PreconditionFailure') {
      details.preconditionViolations.push(...rpc.lookupType(type).decode(any.value).violations);
    }
  }

  return details;
}

/** A gRPC error for people: the status name, the service's message (which says what to do) and its details. */
function describe(error) {
  if (error && typeof error.code === 'number') {
    const status = Object.keys(grpc.status).find((key) => grpc.status[key] === error.code) || String(error.code);
    const lines = [`${status}: ${error.details}`];
    const details = errorDetails(error);
    if (details && details.reason) lines.push(`  reason: ${details.reason} (${details.domain})`);
    for (const v of details ? details.fieldViolations : []) lines.push(`  field ${v.field}: ${v.description}`);
    for (const v of details ? details.preconditionViolations : []) lines.push(`  precondition ${v.type}: ${v.description}`);
    return lines.join('\n');
  }

  return String(error && error.stack ? error.stack : error);
}

module.exports = { connect, describe, errorDetails, serviceConfig, FILLED, grpc };
