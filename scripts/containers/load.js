#!/usr/bin/env node
'use strict';
// The load of the container cluster test (scripts/containers/cluster-test.sh): workers schedule sessions in one
// tenant and let an anonymous guest into each session's lobby, through one balanced channel over every silo
// (examples/node/client.js: round robin, UNAVAILABLE repeated). Each call is repeated until it is answered, with the
// same request (CreateSession keeps its request_id; a join is idempotent by the participant's state), as a careful
// client does while a silo dies; only an answer counts as acknowledged.
//
//   node scripts/containers/load.js --address ipv4:127.0.0.1:5080,127.0.0.1:5180 --token T --tenant <id> --organizer <user id>
//
// SIGUSR1 marks a fault (a silo killed): the report gives the longest any call waited after it (a call on a grain of
// the dead silo waits until the cluster declares that silo dead and activates the grain elsewhere).
// SIGTERM ends the load; then everything acknowledged is read back: every scheduled session listed once, every
// admitted-to-the-lobby guest in its session once. Prints `acknowledged N` each second and a JSON report last;
// exit code 0 when nothing acknowledged is missing or repeated and nothing was refused, 1 otherwise.
const crypto = require('node:crypto');
const { parseArgs } = require('node:util');
const { connect, describe, grpc } = require('../../examples/node/client');

const { values: args } = parseArgs({
  options: {
    address: { type: 'string' },
    token: { type: 'string' },
    tenant: { type: 'string' },
    organizer: { type: 'string' },
    workers: { type: 'string', default: '6' },
  },
});

const TRANSIENT = new Set([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED, grpc.status.ABORTED, grpc.status.CANCELLED]);
const api = connect({ address: args.address, token: args.token, plaintext: true });
const parent = `tenants/${args.tenant}`;
const run = crypto.randomUUID().slice(0, 8);
const sessions = new Map(); // session name -> the guest acknowledged in its lobby (null until then)
const refusals = [];
let acknowledged = 0;
let stopping = false;
let fault = null; // { at, longest: the longest seconds a call answered since waited after the fault }

async function untilAnswered(what, call) {
  const started = Date.now();
  let delay = 100;
  for (;;) {
    if (Date.now() - started > 120_000) {
      refusals.push(`${what}: no answer within 120 s`);
      return null;
    }
    try {
      const answer = await call();
      acknowledged += 1;
      if (fault && !stopping) fault.longest = Math.max(fault.longest, (Date.now() - Math.max(started, fault.at)) / 1000);
      return answer;
    } catch (error) {
      if (!TRANSIENT.has(error.code)) {
        refusals.push(`${what}: ${describe(error)}`);
        return null;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(2000, delay * 2);
    }
  }
}

function timestamp(minutes) {
  return { seconds: String(Math.floor(Date.now() / 1000) + minutes * 60), nanos: 0 };
}

async function worker(index) {
  for (let n = 0; !stopping; n += 1) {
    const request = {
      request_id: crypto.randomUUID(),
      parent,
      session_id: `load-${run}-${index}-${n}`,
      session: {
        organizer: { tenant_user: { user_id: args.organizer } },
        subject: `Container cluster load ${index}/${n}`,
        start_time: timestamp(5),
        end_time: timestamp(120),
      },
    };
    const created = await untilAnswered(`CreateSession ${request.session_id}`, () => api.sessions.CreateSession(request));
    if (!created) continue;
    sessions.set(created.session.name, null);
    const guest = { anonymous_guest: { email: `guest-${index}-${n}@vendor.example`, display_name: `Guest ${index}/${n}` } };
    const joined = await untilAnswered(`JoinSession ${created.session.name}`, () => api.sessions.JoinSession({
      name: created.session.name, person: guest, client: 'CLIENT_KIND_TEAMS_DESKTOP',
    }));
    if (joined) sessions.set(created.session.name, joined.participant.id);
  }
}

async function verify() {
  const listed = new Map();
  let pageToken = '';
  do {
    const page = await untilAnswered('ListSessions', () => api.sessions.ListSessions({ parent, page_size: 1000, page_token: pageToken }));
    if (!page) break;
    for (const session of page.sessions) listed.set(session.name, (listed.get(session.name) || 0) + 1);
    pageToken = page.next_page_token;
  } while (pageToken);

  const missing = [];
  const repeated = [];
  for (const [name, guest] of sessions) {
    if (!listed.has(name)) missing.push(name);
    if ((listed.get(name) || 0) > 1) repeated.push(name);
    if (guest === null) continue;
    const read = await untilAnswered(`GetSession ${name}`, () => api.sessions.GetSession({ name }));
    const seen = read ? read.session.participants.filter((p) => p.id === guest) : [];
    if (seen.length === 0) missing.push(`${name} ${guest}`);
    if (seen.length > 1) repeated.push(`${name} ${guest}`);
    if (seen.length === 1 && seen[0].state !== 'STATE_IN_LOBBY') missing.push(`${name} ${guest} is ${seen[0].state}`);
  }

  return { missing, repeated };
}

async function main() {
  const workers = Number(args.workers);
  const started = Date.now();
  const ticker = setInterval(() => console.log(`acknowledged ${acknowledged}`), 1000);
  process.on('SIGUSR1', () => { fault = { at: Date.now(), longest: 0 }; });
  process.on('SIGTERM', () => { stopping = true; });
  await Promise.all(Array.from({ length: workers }, (_, index) => worker(index)));
  clearInterval(ticker);
  const seconds = (Date.now() - started) / 1000;
  const writes = acknowledged;
  const { missing, repeated } = await verify();
  const report = {
    seconds: Math.round(seconds),
    acknowledgedWrites: writes,
    writesPerSecond: Math.round(writes / seconds),
    sessions: sessions.size,
    guests: [...sessions.values()].filter((guest) => guest !== null).length,
    missing,
    repeated,
    refusals,
    longestWaitAfterFaultSeconds: fault ? fault.longest : null,
  };
  console.log(JSON.stringify(report));
  api.close();
  process.exit(missing.length || repeated.length || refusals.length ? 1 : 0);
}

main().catch((error) => {
  console.error(`load failed: ${describe(error)}`);
  process.exit(1);
});
