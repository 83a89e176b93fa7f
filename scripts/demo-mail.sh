#!/usr/bin/env bash
# Prints the mails the local emulator "sent" from Company ABC's mailboxes to one address, oldest first: the subject,
# and the one-time link or confirmation code a sign-in pass mail carries. For the local demo only (the emulator
# keeps mail in memory; real tenants deliver it).
# Usage: scripts/demo-mail.sh ADDRESS [TENANT_ID]      (the service must be running: scripts/run.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
address="${1:?usage: scripts/demo-mail.sh ADDRESS [TENANT_ID]}"
tenant="${2:-3f6c4b8e-1a2b-4c5d-8e9f-0a1b2c3d4e5f}" # Company ABC
[ -s .data/emulator/emulator.pem ] || { echo "Start the service first: scripts/run.sh" >&2; exit 2; }

curl -sS --fail-with-body --cacert .data/emulator/emulator.pem -G --data-urlencode "to=$address" \
  "https://127.0.0.1:5443/_emulator/tenants/$tenant/mail" | node -e '
let text = "";
process.stdin.on("data", d => (text += d)).on("end", () => {
  const mails = JSON.parse(text).value;
  if (mails.length === 0) { console.log("No mail to that address yet."); return; }
  for (const m of mails) {
    const link = m.content.match(/https?:\/\/[^"<\s]+\/sign-in-pass#[A-Za-z0-9_-]+/);
    const code = m.content.match(/<strong>([0-9]{6})<\/strong>/);
    console.log(`${m.sentDateTime}  from ${m.sender}: ${m.subject}`);
    if (link) console.log(`  link: ${link[0]}`);
    if (code) console.log(`  code: ${code[1]}`);
  }
});'
