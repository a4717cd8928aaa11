// What every browser journey shares: the real `athlos` binary on its embedded
// defaults (SQLite, local files, the mail outbox) in a fresh folder, headless
// Chromium through playwright-core, mails read from the outbox, TOTP codes,
// and screenshots at phone and desktop size.
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const CORPUS =
  process.env.TEST_CORPUS_DIR ?? join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'corpus');
const SCREENSHOTS = process.env.SCREENSHOT_DIR ?? join(import.meta.dirname, '..', 'screenshots');
export const PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 820 };
/** A 1×1 transparent PNG. */
const BLANK_TILE = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

/**
 * One server and one browser for a test file: started before its tests,
 * stopped after. The fields are filled once `before` has run.
 */
export function serverAndBrowser() {
  const shared = { server: null, browser: null };
  before(async () => {
    shared.server = await startServer();
    shared.browser = await launch();
  });
  after(async () => {
    await shared.browser?.close();
    await shared.server?.stop();
  });
  return shared;
}

/** Starts `athlos serve` in an empty folder; resolves once it says where it listens. */
export async function startServer() {
  const bin = process.env.TEST_ATHLOS_BIN;
  if (!bin) throw new Error('TEST_ATHLOS_BIN must name the athlos binary (scripts/test sets it)');
  const folder = mkdtempSync(join(tmpdir(), 'athlos-journey-'));
  const child = spawn(bin, ['serve', '--listen', '127.0.0.1:0'], {
    cwd: folder,
    // Embedded defaults only: no ATHLOS_* setting from the caller's shell leaks in.
    // No map tiles: the test machine has no way out, and a tile that cannot
    // load would be a console error; maps draw on the plain background.
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ATHLOS_'))),
      ATHLOS_LOG: 'warn',
      ATHLOS_MAP_TILES: 'none',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`athlos serve exited with ${code} before listening`)));
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const found = line.match(/running at (http:\/\/\S+)/);
      if (found) resolve(found[1]);
    });
  });
  return {
    url,
    folder,
    /** Every mail the server wrote to its outbox, decoded, oldest first. */
    mails() {
      const outbox = join(folder, 'athlos-data', 'outbox');
      let names = [];
      try {
        names = readdirSync(outbox).sort();
      } catch {
        return [];
      }
      return names.map((name) => decodeMail(readFileSync(join(outbox, name), 'utf8')));
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Undoes quoted-printable soft breaks and escapes, enough to find links and codes. */
function decodeMail(text) {
  return text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** Waits until the outbox holds a mail matching `pattern`; answers the match. */
export async function mailMatching(server, pattern) {
  for (let attempt = 0; attempt < 200; attempt++) {
    for (const mail of server.mails().reverse()) {
      const found = mail.match(pattern);
      if (found) return found;
    }
    // The mail is written by the request itself or by a job a moment later.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no mail matching ${pattern} arrived`);
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.TEST_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh browser profile (its own storage, service worker and IndexedDB) at phone size, in English. */
export async function newPage(browser, viewport = PHONE, locale = 'en-GB') {
  const context = await browser.newContext({ viewport, locale, timezoneId: 'Europe/Berlin' });
  // No network beyond this machine: a map tile server the app is given answers a blank tile here.
  await context.route(
    (url) => !['127.0.0.1', 'localhost'].includes(url.hostname),
    (route) => route.fulfill({ status: 200, contentType: 'image/png', body: BLANK_TILE }),
  );
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

/**
 * Saves the page at phone and desktop size under SCREENSHOT_DIR/<name>-phone|desktop.png;
 * `fullPage: false` keeps to the window (a very long page), `locator` starts the window there.
 */
export async function screenshots(page, name, { fullPage = true, locator } = {}) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const before = page.viewportSize();
  for (const [size, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ]) {
    await page.setViewportSize(viewport);
    // From the top, or the sticky bar lands mid-page in a full-page capture.
    await page.evaluate(() => window.scrollTo(0, 0));
    if (locator) await locator.evaluate((element) => window.scrollTo(0, element.getBoundingClientRect().top + window.scrollY - 60));
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${size}.png`), fullPage });
  }
  await page.setViewportSize(before);
}

export function uniqueEmail(prefix) {
  return `${prefix}-${randomBytes(4).toString('hex')}@example.org`;
}

/** Calls the API from the test itself (to set up or to check what the server holds). */
export async function api(server, path, { method = 'GET', body, token } = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** An account made and verified through the API, and its access token. */
export async function account(server, prefix) {
  const email = uniqueEmail(prefix);
  const password = 'correct horse battery';
  await api(server, '/api/v1/auth/register', { method: 'POST', body: { email, password, display_name: 'Ada Runner' } });
  const [, token] = await mailMatching(server, new RegExp(`To: ${email}[\\s\\S]*?verify-email\\?token=([A-Za-z0-9_-]+)`));
  await api(server, '/api/v1/auth/verify', { method: 'POST', body: { token } });
  const login = await api(server, '/api/v1/auth/login', { method: 'POST', body: { email, password } });
  return { email, password, token: login.body.access_token };
}

/** Uploads a file from the shared corpus through the API; answers the status and the body. */
export async function uploadFile(server, token, path, fields = {}) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([readFileSync(join(CORPUS, path))]), path.split('/').pop());
  const response = await fetch(`${server.url}/api/v1/workouts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: response.status, body: await response.json() };
}

/** Logs in through the app's own login screen. */
export async function logIn(page, server, { email, password }) {
  await page.goto(`${server.url}/login`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
}

/** RFC 6238 code for a base32 secret, `steps` 30-second steps from now. */
export function totp(secret, steps = 0) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((byte) => Number.parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30) + steps));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const number = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(number).padStart(6, '0');
}
