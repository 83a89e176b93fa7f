'use strict';
// A raorchestrator.v1 client for Node.js: the services loaded from the repository's protos/ with
// @grpc/proto-loader, a partner token on every call, TLS trusting a given CA (or plaintext for a local service).
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

/**
 * One channel to the API and a promise-returning client per service.
 * @param {{address: string, token: string, ca?: string, plaintext?: boolean}} options
 *   address host:port; ca a PEM file of the CA (or self-signed certificate) to trust; plaintext for scripts/run.sh.
 */
function connect({ address, token, ca, plaintext }) {
  let credentials;
  const channelOptions = {};
  if (plaintext) {
    // grpc-js refuses call credentials on an insecure channel (they would travel in clear text), so a local
    // plaintext service gets the token from an interceptor instead.
    credentials = grpc.credentials.createInsecure();
    channelOptions.interceptors = [(options, nextCall) => new grpc.InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        metadata.set('authorization', `Bearer ${token}`);
        next(metadata, listener);
      },
    })];
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
  for (const name of ['TenantService', 'BulkOnboardingService', 'OperationService', 'ServiceAccountService',
    'BarrierService', 'SessionService', 'DirectoryService']) {
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

/** A gRPC error for people: the status name and the service's message (which says what to do). */
function describe(error) {
  if (error && typeof error.code === 'number') {
    const status = Object.keys(grpc.status).find((key) => grpc.status[key] === error.code) || String(error.code);
    return `${status}: ${error.details}`;
  }

  return String(error && error.stack ? error.stack : error);
}

module.exports = { connect, describe, grpc };
