// A headless Chromium with a virtual WebAuthn authenticator (a platform
// passkey with user verification), for the Rust tests. It opens the server's
// origin and then answers one JSON request per stdin line:
//   {"op":"create","options":{"publicKey":…}}  -> {"ok":true,"credential":…}
//   {"op":"get","options":{"publicKey":…}}     -> {"ok":true,"credential":…}
// Options and credentials use base64url for binary fields, as the API does.
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const origin = process.argv[2];
const browser = await chromium.launch({
  executablePath: process.env.TEST_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage();
await page.goto(`${origin}/healthz`);
const cdp = await page.context().newCDPSession(page);
await cdp.send('WebAuthn.enable');
await cdp.send('WebAuthn.addVirtualAuthenticator', {
  options: {
    protocol: 'ctap2',
    transport: 'internal',
    hasResidentKey: true,
    hasUserVerification: true,
    isUserVerified: true,
    automaticPresenceSimulation: true,
  },
});

// Runs inside the page: the WebAuthn call with base64url turned into bytes and back.
async function ceremony({ op, options }) {
  const bytes = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  const text = (buffer) =>
    btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const publicKey = { ...options.publicKey, challenge: bytes(options.publicKey.challenge) };
  const ids = (list) => (list || []).map((c) => ({ ...c, id: bytes(c.id) }));
  if (op === 'create') {
    publicKey.user = { ...publicKey.user, id: bytes(publicKey.user.id) };
    publicKey.excludeCredentials = ids(publicKey.excludeCredentials);
    const made = await navigator.credentials.create({ publicKey });
    return {
      id: made.id,
      rawId: text(made.rawId),
      type: made.type,
      extensions: made.getClientExtensionResults(),
      response: {
        attestationObject: text(made.response.attestationObject),
        clientDataJSON: text(made.response.clientDataJSON),
      },
    };
  }
  publicKey.allowCredentials = ids(publicKey.allowCredentials);
  const used = await navigator.credentials.get({ publicKey });
  return {
    id: used.id,
    rawId: text(used.rawId),
    type: used.type,
    extensions: used.getClientExtensionResults(),
    response: {
      authenticatorData: text(used.response.authenticatorData),
      clientDataJSON: text(used.response.clientDataJSON),
      signature: text(used.response.signature),
      userHandle: used.response.userHandle ? text(used.response.userHandle) : null,
    },
  };
}

const answer = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);
answer({ ok: true, ready: true });
for await (const line of createInterface({ input: process.stdin })) {
  try {
    answer({ ok: true, credential: await page.evaluate(ceremony, JSON.parse(line)) });
  } catch (error) {
    answer({ ok: false, error: String(error) });
  }
}
await browser.close();
