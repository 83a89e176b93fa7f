#!/usr/bin/env node
'use strict';
// The published scenario, end to end against a running RAOrchestrator:
//   onboard a tenant and wait for its operation, create a vendor service account, read the licence summary,
//   schedule a Remote Assist session organised by that account, let an invited guest wait in the lobby, admit it,
//   redeem its join ticket, and watch the session's timeline to its end.
//
//   node examples/node/scenario.js --address 127.0.0.1:5080 --plaintext --token "$(scripts/partner-token.sh)" \
//     --tenant 3f6c4b8e-1a2b-4c5d-8e9f-0a1b2c3d4e5f
//   node examples/node/scenario.js --address 127.0.0.1:5443 --ca api.pem --token ... --tenant ...
//   node examples/node/scenario.js --address dns:///raorchestrator-headless.msp.svc:443 --ca ca.pem --token ... --tenant ...
//
// --address is a grpc-js target: host:port, dns:///host:port (round robin over every address of the name) or
// ipv4:10.0.0.7:443,10.0.0.8:443 (a fixed list). A failed call prints its google.rpc details (reason, fields).
//
// Exit code 0 when every step did what the scenario expects, 1 when one did not (the reason is printed).
const crypto = require('node:crypto');
const { parseArgs } = require('node:util');
const { connect, describe, grpc } = require('./client');

const { values: args } = parseArgs({
  options: {
    address: { type: 'string', default: process.env.RAORCH_ADDRESS || '127.0.0.1:5080' },
    token: { type: 'string', default: process.env.RAORCH_TOKEN },
    ca: { type: 'string' },
    plaintext: { type: 'boolean', default: false },
    tenant: { type: 'string' },
    guest: { type: 'string', default: 'erin.expert@vendor.example' },
  },
});

function fail(message) {
  throw new Error(message);
}

/** Runs `create`; when the resource exists already (a second run of the scenario), gets it instead. */
async function createOrGet(what, create, get) {
  try {
    return { created: true, ...(await create()) };
  } catch (error) {
    if (error.code !== grpc.status.ALREADY_EXISTS) throw error;
    console.log(`   ${what} exists already (${error.details}); using it`);
    return { created: false, ...(await get()) };
  }
}

function timestamp(date) {
  return { seconds: String(Math.floor(date.getTime() / 1000)), nanos: 0 };
}

/** Follows WatchOperation until the operation is done; returns its final state. */
async function waitForOperation(api, name) {
  let last = null;
  for await (const update of api.operations.WatchOperation({ name, after_version: '0' })) {
    last = update.operation;
    const running = last.steps.find((step) => step.state === 'STATE_RUNNING');
    console.log(`  ${last.name}: ${last.state} ${last.progress_percent}%${running ? ` (${running.title})` : ''}`);
  }

  return last;
}

async function main() {
  if (!args.token) fail('a partner token is needed: --token or RAORCH_TOKEN (locally: scripts/partner-token.sh)');
  if (!args.tenant) fail('--tenant <Entra tenant id> is needed: a customer tenant that consented to the MSP app');
  const api = connect({ address: args.address, token: args.token, ca: args.ca, plaintext: args.plaintext });
  try {
    console.log(`1. Onboarding tenant ${args.tenant}`);
    const created = await createOrGet('the tenant', () => api.tenants.CreateTenant({
      request_id: crypto.randomUUID(),
      tenant_id: args.tenant,
      tenant: {
        display_name: 'Contoso Manufacturing',
        // What the tenant admin confirmed in Teams PowerShell (Graph cannot read these).
        meeting_settings: {
          anonymous_join: 'SWITCH_ON',
          organizer_anonymous_join: 'SWITCH_ON',
          auto_admitted_users: 'AUTO_ADMITTED_USERS_EVERYONE_IN_COMPANY',
          lobby_bypass: 'LOBBY_BYPASS_ORGANIZER',
        },
      },
    }), () => api.tenants.GetTenant({ name: `tenants/${args.tenant}` }));
    if (created.created) {
      if (created.tenant.state === 'STATE_AWAITING_APPROVAL') {
        // Nothing happens in the customer's directory until one of its administrators approves this partner.
        console.log(`   approval needed: send ${created.tenant.approval_uri} to an administrator of the tenant; waiting`);
      }
      const onboarding = await waitForOperation(api, created.operation.name);
      if (onboarding.state !== 'STATE_SUCCEEDED') {
        fail(`onboarding ended ${onboarding.state}: ${onboarding.error ? `${onboarding.error.reason} ${onboarding.error.message}` : ''}`);
      }
    } else if (created.tenant.state !== 'STATE_ACTIVE') {
      fail(`the tenant is ${created.tenant.state}: finish its onboarding (or its approval: ${created.tenant.approval_uri}) first`);
    }

    const { tenant } = await api.tenants.GetTenant({ name: created.tenant.name });
    console.log(`   ${tenant.name} is ${tenant.state}; verified domains ${tenant.verified_domains.join(', ')}`);

    console.log('2. Creating the vendor service account');
    const { service_account: account } = await createOrGet('the service account', () => api.serviceAccounts.CreateServiceAccount({
      request_id: crypto.randomUUID(),
      parent: tenant.name,
      service_account_id: 'vendor-expert',
      service_account: {
        display_name: 'Vendor expert',
        user_principal_name: `vendor-expert@${tenant.verified_domains[0]}`,
        usage_location: 'DE',
        attributes: { companyName: 'OEM Ltd', department: 'Vendors' },
      },
    }), () => api.serviceAccounts.GetServiceAccount({ name: `${tenant.name}/serviceAccounts/vendor-expert` }));
    if (account.state !== 'STATE_ACTIVE') fail(`the service account is ${account.state}: ${account.failure_reason} ${account.failure_message}`);
    console.log(`   ${account.name} is ${account.state} as ${account.user_principal_name} (directory user ${account.directory_user_id})`);

    console.log('3. Reading the licence summary');
    const summary = await api.serviceAccounts.GetLicenseSummary({ parent: tenant.name });
    for (const sku of summary.skus) {
      console.log(`   ${sku.part_number}: enabled ${sku.enabled}, consumed ${sku.consumed}, reserved ${sku.reserved}, available ${sku.available}`);
    }

    console.log('4. Scheduling a session organised by the service account, with an invited guest');
    const organizer = { tenant_user: { user_id: account.directory_user_id } };
    const guest = { anonymous_guest: { email: args.guest, display_name: 'Erin Expert' } };
    const { session } = await api.sessions.CreateSession({
      request_id: crypto.randomUUID(),
      parent: tenant.name,
      session_id: `pump-${crypto.randomUUID().slice(0, 8)}`,
      session: {
        organizer,
        subject: 'Pump P-17 alignment',
        start_time: timestamp(new Date(Date.now() + 5 * 60_000)),
        end_time: timestamp(new Date(Date.now() + 60 * 60_000)),
        invitations: [{ person: guest }],
      },
    });
    console.log(`   ${session.name} is ${session.state}`);

    // Someone watches the session live while the guest asks to join.
    const timeline = (async () => {
      const kinds = [];
      for await (const { event } of api.sessions.WatchSession({ name: session.name, after_sequence: '0' })) {
        console.log(`   event #${event.sequence} ${event.kind} ${event.subject} ${event.reason}`);
        kinds.push(event.kind);
      }

      return kinds;
    })();

    const joined = await api.sessions.JoinSession({ name: session.name, person: guest, client: 'CLIENT_KIND_TEAMS_DESKTOP' });
    if (joined.participant.state !== 'STATE_IN_LOBBY') fail(`the guest should wait in the lobby, but is ${joined.participant.state}`);
    console.log(`5. ${joined.participant.id} (${joined.participant.kind}) waits in the lobby as ${joined.participant.name}; admitting`);
    // A participant is named by its resource name (its id is accepted too).
    const admitted = await api.sessions.AdmitParticipant({ name: session.name, participant_id: joined.participant.name });
    if (admitted.participant.state !== 'STATE_ADMITTED' || !admitted.ticket) fail(`admission failed: ${admitted.participant.state}`);
    const redeemed = await api.sessions.RedeemJoinTicket({ name: session.name, token: admitted.ticket.token });
    console.log(`   the guest's ticket opens ${redeemed.join_url}`);

    console.log('6. Ending the session');
    await api.sessions.EndSession({ request_id: crypto.randomUUID(), name: session.name });
    const kinds = await timeline;
    for (const expected of ['KIND_SCHEDULED', 'KIND_JOINED_LOBBY', 'KIND_ADMITTED', 'KIND_TICKET_REDEEMED', 'KIND_ENDED']) {
      if (!kinds.includes(expected)) fail(`the timeline has no ${expected}: ${kinds.join(', ')}`);
    }

    console.log(JSON.stringify({ scenario: 'complete', tenant: tenant.name, serviceAccount: account.name, session: session.name, events: kinds.length }));
  } finally {
    api.close();
  }
}

main().catch((error) => {
  console.error(`scenario failed: ${describe(error)}`);
  process.exit(1);
});
