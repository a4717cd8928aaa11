// Offline sync (docs/sync.md) between two devices of one person, a phone and
// a laptop, both with the same training open. Offline, each edits another
// field: once online, both hold both changes. Offline again, both edit the
// title: both end with the later one, and the laptop, whose change lost, is
// asked which to keep (it keeps its own, and both follow). A training logged
// on the phone and a delete on the laptop, both offline, reach the other
// device; one logged and deleted offline never reaches the server. While
// offline the top bar says how many changes wait, and a change the server
// refuses is shown there with its reason until it is edited.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { account, api, DESKTOP, logIn, newPage, screenshots, serverAndBrowser } from './support.mjs';

const shared = serverAndBrowser();
const SHOTS = process.env.SCREENSHOT_DIR ?? join(import.meta.dirname, '..', 'screenshots');
/** A common phone's window. */
const PHONE_390 = { width: 390, height: 844 };

/** A logged-in device whose copy of the person's trainings is complete and up to date. */
async function device(browser, server, person, viewport) {
  const { context, page } = await newPage(browser, viewport);
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await logIn(page, server, person);
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  // The service worker has the app: it opens and reloads with no network.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await phase(page, 'synced');
  return { context, page, errors };
}

/** The sync's state in the top bar. */
function chip(page) {
  return page.getByTestId('sync-state');
}

/** Waits until the top bar's sync state is `phase` (synced, waiting, offline, refused…). */
async function phase(page, wanted) {
  await page.waitForFunction(
    (want) => document.querySelector('[data-testid="sync-state"]')?.getAttribute('data-phase') === want,
    wanted,
  );
}

/** Waits until the page shows `text` in the element of `selector`. */
async function shows(page, selector, text) {
  await page.waitForFunction(
    ([css, want]) => document.querySelector(css)?.textContent?.trim() === want,
    [selector, text],
  );
}

/**
 * Cuts the device off. First the page's requests settle: a token refresh cut
 * off halfway would leave it with a spent refresh token.
 */
async function offline(device) {
  await device.page.waitForLoadState('networkidle');
  await device.context.setOffline(true);
  await phase(device.page, 'offline');
}

/** Brings the device back; its socket (for the other device's hints) opens again with a new ticket. */
async function online(device) {
  const ticket = device.page.waitForResponse(
    (r) => r.url().endsWith('/api/v1/realtime/ticket') && r.status() === 201,
  );
  await device.context.setOffline(false);
  await ticket;
}

async function edit(page, changes) {
  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  await page.getByRole('heading', { name: 'Edit the training' }).waitFor();
  for (const [label, value] of Object.entries(changes)) await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole('button', { name: 'Save the changes' }).click();
  await page.getByRole('link', { name: 'Edit', exact: true }).waitFor();
}

/** The phone at 390×844 and the desktop, under SCREENSHOT_DIR. */
async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  const before = page.viewportSize();
  for (const [size, viewport] of [
    ['phone', PHONE_390],
    ['desktop', DESKTOP],
  ]) {
    await page.setViewportSize(viewport);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await page.screenshot({ path: join(SHOTS, `${name}-${size}.png`), fullPage: false });
  }
  await page.setViewportSize(before);
}

async function serverCopy(server, person, id) {
  return (await api(server, `/api/v1/workouts/${id}`, { token: person.token })).body;
}

test('two devices of one person edit a training offline and converge, and the one whose change lost is asked', async () => {
  const { server, browser } = shared;
  const person = await account(server, 'sync');
  const started = new Date(Date.now() - 2 * 3600_000).toISOString();
  const made = await api(server, '/api/v1/workouts', {
    method: 'POST',
    token: person.token,
    body: { sport: 'running', started_at: started, duration_s: 1800, distance_m: 5000, title: 'Base run', notes: 'Easy' },
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const id = made.body.id;

  const phone = await device(browser, server, person, PHONE_390);
  const laptop = await device(browser, server, person, DESKTOP);
  for (const { page } of [phone, laptop]) {
    await page.goto(`${server.url}/workouts/${id}`);
    await page.getByRole('heading', { level: 1, name: 'Base run' }).waitFor();
    await phase(page, 'synced');
  }

  // Offline, each changes another field; each waits on its device, and the bar says so.
  await offline(phone);
  await offline(laptop);
  await edit(phone.page, { Title: 'Tempo on the phone' });
  await phone.page.getByRole('heading', { level: 1, name: 'Tempo on the phone' }).waitFor();
  await chip(phone.page).getByText('1 change waiting').waitFor();
  await edit(laptop.page, { Notes: 'Legs felt fresh' });
  await shows(laptop.page, '[data-testid="notes"]', 'Legs felt fresh');
  await chip(laptop.page).getByText('1 change waiting').waitFor();
  await shot(phone.page, 'sync-offline-waiting');
  let kept = await serverCopy(server, person, id);
  assert.deepEqual([kept.title, kept.notes], ['Base run', 'Easy'], 'nothing reached the server while offline');

  // Online: both changes on the server, and on both devices.
  await online(phone);
  await phase(phone.page, 'synced');
  await online(laptop);
  for (const { page } of [phone, laptop]) {
    await page.getByRole('heading', { level: 1, name: 'Tempo on the phone' }).waitFor();
    await shows(page, '[data-testid="notes"]', 'Legs felt fresh');
    await phase(page, 'synced');
  }
  kept = await serverCopy(server, person, id);
  assert.deepEqual([kept.title, kept.notes], ['Tempo on the phone', 'Legs felt fresh']);
  for (const { page } of [phone, laptop]) assert.equal(await page.getByTestId('conflict').count(), 0, 'no conflict');

  // Offline again, both change the title: the laptop first, the phone after, so the phone's is later.
  await offline(phone);
  await offline(laptop);
  await edit(laptop.page, { Title: 'Title from the laptop' });
  await edit(phone.page, { Title: 'Title from the phone' });
  await online(phone);
  await phase(phone.page, 'synced');
  assert.equal((await serverCopy(server, person, id)).title, 'Title from the phone');
  await online(laptop);
  // The later change wins everywhere; the laptop, whose change lost, is asked.
  const asked = laptop.page.getByTestId('conflict');
  await asked.waitFor();
  await asked.locator('dd strong', { hasText: 'Title from the laptop' }).waitFor();
  await asked.locator('dd strong', { hasText: 'Title from the phone' }).waitFor();
  for (const { page } of [phone, laptop]) {
    await page.getByRole('heading', { level: 1, name: 'Title from the phone' }).waitFor();
  }
  assert.equal(await phone.page.getByTestId('conflict').count(), 0, 'the winner is not asked');
  await screenshots(laptop.page, 'sync-conflict', { fullPage: false });
  await shot(laptop.page, 'sync-conflict-390');

  // Keeping one's own makes it a new change, later than the one that won: both follow.
  await asked.getByRole('button', { name: 'Keep mine' }).click();
  await asked.waitFor({ state: 'detached' });
  for (const { page } of [phone, laptop]) {
    await page.getByRole('heading', { level: 1, name: 'Title from the laptop' }).waitFor();
    await phase(page, 'synced');
  }
  assert.equal((await serverCopy(server, person, id)).title, 'Title from the laptop');

  // Offline: the phone logs a training, the laptop deletes the first one and logs and deletes another.
  await offline(phone);
  await offline(laptop);
  await phone.page.getByRole('navigation', { name: 'Main' }).last().getByRole('link', { name: 'Log' }).click();
  await phone.page.getByLabel('Title').fill('Logged offline');
  await phone.page.getByLabel('Minutes').fill('25');
  await phone.page.getByLabel('Distance (km)').fill('4.2');
  await phone.page.getByRole('button', { name: 'Save the training' }).click();
  await phone.page.getByRole('heading', { level: 1, name: 'Logged offline' }).waitFor();
  await phone.page.getByTestId('training-waiting').waitFor();
  await chip(phone.page).getByText('1 change waiting').waitFor();

  await laptop.page.getByRole('button', { name: 'Delete', exact: true }).click();
  await laptop.page.getByRole('dialog', { name: 'Delete the training?' }).getByRole('button', { name: 'Delete' }).click();
  await laptop.page.getByRole('heading', { name: /Hello/ }).waitFor();
  await laptop.page.goto(`${server.url}/log`);
  await laptop.page.getByLabel('Title').fill('Scratch');
  await laptop.page.getByLabel('Minutes').fill('5');
  await laptop.page.getByRole('button', { name: 'Save the training' }).click();
  await laptop.page.getByRole('heading', { level: 1, name: 'Scratch' }).waitFor();
  await chip(laptop.page).getByText('2 changes waiting').waitFor();
  await laptop.page.getByRole('button', { name: 'Delete', exact: true }).click();
  await laptop.page.getByRole('dialog', { name: 'Delete the training?' }).getByRole('button', { name: 'Delete' }).click();
  await laptop.page.getByRole('heading', { name: /Hello/ }).waitFor();
  // Made and deleted here, never sent: nothing of it waits.
  await chip(laptop.page).getByText('1 change waiting').waitFor();
  const laptopList = laptop.page.getByTestId('trainings');
  assert.equal(await laptopList.getByRole('link', { name: /Title from the laptop|Scratch/ }).count(), 0);
  await screenshots(laptop.page, 'sync-offline-list', { fullPage: false });

  await online(phone);
  await phase(phone.page, 'synced');
  await online(laptop);
  await phase(laptop.page, 'synced');
  await laptopList.getByRole('link', { name: /Logged offline/ }).waitFor();
  await phone.page.goto(`${server.url}/`);
  const phoneList = phone.page.getByTestId('trainings');
  await phoneList.getByRole('link', { name: /Logged offline/ }).waitFor();
  await phone.page.waitForFunction(() => !document.querySelector('[data-testid="trainings"]')?.textContent?.includes('Title from the laptop'));
  await shot(phone.page, 'sync-converged');
  const list = (await api(server, '/api/v1/workouts', { token: person.token })).body.items;
  assert.deepEqual(
    list.map((workout) => workout.title),
    ['Logged offline'],
    'the delete and the new training reached the server, the scratch one never did',
  );
  assert.equal(list[0].distance_m, 4200);
  assert.equal((await api(server, `/api/v1/workouts/${id}`, { token: person.token })).status, 404, 'deleted');

  // A change the server refuses (a title over 200 characters) stays on the device with its
  // reason, is not sent again by itself, and goes once edited.
  await phoneList.getByRole('link', { name: /Logged offline/ }).click();
  await phone.page.getByRole('heading', { level: 1, name: 'Logged offline' }).waitFor();
  await offline(phone);
  await edit(phone.page, { Title: 'A very long title '.repeat(12) });
  await online(phone);
  await phase(phone.page, 'refused');
  await chip(phone.page).getByText('1 change refused').waitFor();
  await chip(phone.page).click();
  const panel = phone.page.getByTestId('sync-panel');
  await panel.getByTestId('refused-change').getByText('The server refused it', { exact: false }).waitFor();
  await shot(phone.page, 'sync-refused-panel');
  assert.equal((await serverCopy(server, person, list[0].id)).title, 'Logged offline');
  await panel.getByRole('link', { name: 'Edit' }).click();
  await phone.page.getByRole('heading', { name: 'Edit the training' }).waitFor();
  await phone.page.getByLabel('Title', { exact: true }).fill('Logged offline, renamed');
  await phone.page.getByRole('button', { name: 'Save the changes' }).click();
  await phone.page.getByRole('heading', { level: 1, name: 'Logged offline, renamed' }).waitFor();
  await phase(phone.page, 'synced');
  assert.equal((await serverCopy(server, person, list[0].id)).title, 'Logged offline, renamed');

  assert.deepEqual(phone.errors, []);
  assert.deepEqual(laptop.errors, []);
  await phone.context.close();
  await laptop.context.close();
});

test('what waited in the outbox of the previous version of the app is sent through the sync after the upgrade', async () => {
  const { server, browser } = shared;
  const person = await account(server, 'upgrade');
  const login = await api(server, '/api/v1/auth/login', {
    method: 'POST',
    body: { email: person.email, password: person.password },
  });
  const session = { refresh_token: login.body.refresh_token, session_id: login.body.session_id };
  const itemId = randomUUID();
  const entries = [
    {
      id: randomUUID(),
      created_at: Date.now() - 120_000,
      attempts: 1,
      kind: 'workout.create',
      payload: {
        sport: 'running',
        title: 'From the old outbox',
        started_at: new Date(Date.now() - 3 * 3600_000).toISOString(),
        duration_s: 1200,
        distance_m: 3000,
        privacy: 'private',
      },
    },
    {
      id: randomUUID(),
      created_at: Date.now() - 60_000,
      attempts: 0,
      kind: 'equipment.create',
      payload: { id: itemId, kind: 'shoes', brand: 'Old', model: 'Box', nickname: 'Outboxers', sports: ['running'] },
    },
  ];
  const { context, page } = await newPage(browser, PHONE_390);
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // Before the app's first script: a login on the device, and version 1 of its database with two entries waiting.
  await context.addInitScript(
    ({ session, entries }) => {
      if (localStorage.getItem('test.seeded')) return;
      localStorage.setItem('test.seeded', '1');
      localStorage.setItem('athlos.session', JSON.stringify(session));
      const open = indexedDB.open('athlos', 1);
      open.onupgradeneeded = () => {
        const outbox = open.result.createObjectStore('outbox', { keyPath: 'id' });
        outbox.createIndex('created_at', 'created_at');
        for (const entry of entries) outbox.add(entry);
      };
      open.onsuccess = () => open.result.close();
    },
    { session, entries },
  );
  await page.goto(`${server.url}/`);
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.getByTestId('trainings').getByRole('link', { name: /From the old outbox/ }).waitFor();
  await phase(page, 'synced');
  const workouts = (await api(server, '/api/v1/workouts', { token: person.token })).body.items;
  assert.deepEqual(
    workouts.map((workout) => [workout.title, workout.distance_m]),
    [['From the old outbox', 3000]],
  );
  const item = await api(server, `/api/v1/equipment/${itemId}`, { token: person.token });
  assert.equal(item.status, 200, 'the item keeps the id the device chose');
  assert.equal(item.body.name, 'Outboxers');

  // A cursor the server no longer knows (410 resync-required): everything is pulled again, a
  // record the server does not have is dropped, and the change waiting here is still sent.
  await offline({ context, page });
  await page.getByTestId('trainings').getByRole('link', { name: /From the old outbox/ }).click();
  await edit(page, { Notes: 'Kept through the resync' });
  await page.evaluate(async (ghost) => {
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open('athlos');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    await new Promise((resolve, reject) => {
      const transaction = db.transaction(['meta', 'records'], 'readwrite');
      transaction.objectStore('meta').put({ key: 'cursor', value: '999999999' });
      transaction.objectStore('records').put({ entity: 'workout', id: ghost.id, record: ghost });
      transaction.oncomplete = resolve;
      transaction.onerror = () => reject(transaction.error);
    });
    db.close();
  }, {
    id: randomUUID(),
    user_id: workouts[0].user_id,
    sport: 'running',
    title: 'Ghost of a compacted log',
    notes: '',
    privacy: 'private',
    equipment_ids: [],
    started_at: new Date(Date.now() - 3600_000).toISOString(),
    duration_s: 600,
    state: 'ready',
    created_at: new Date().toISOString(),
    updated_at: new Date().toISOString(),
  });
  await page.goto(`${server.url}/`);
  const trainings = page.getByTestId('trainings');
  await trainings.getByRole('link', { name: /Ghost of a compacted log/ }).waitFor();
  await online({ context, page });
  await trainings.getByRole('link', { name: /Ghost of a compacted log/ }).waitFor({ state: 'detached' });
  await phase(page, 'synced');
  await trainings.getByRole('link', { name: /From the old outbox/ }).waitFor();
  const cursor = await page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const request = indexedDB.open('athlos');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const read = request.result.transaction('meta').objectStore('meta').get('cursor');
          read.onsuccess = () => resolve(read.result?.value);
        };
      }),
  );
  assert.ok(Number(cursor) < 999999999, `a cursor of this server again (${cursor})`);
  const after = (await api(server, `/api/v1/workouts/${workouts[0].id}`, { token: person.token })).body;
  assert.equal(after.notes, 'Kept through the resync');

  // Deleted offline, the item goes from the list at once, and from the server once online.
  await page.goto(`${server.url}/equipment/${itemId}`);
  await page.getByRole('heading', { level: 1, name: 'Outboxers' }).waitFor();
  await offline({ context, page });
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('heading', { level: 1, name: 'Equipment' }).waitFor();
  await chip(page).getByText('1 change waiting').waitFor();
  assert.equal(await page.getByTestId('equipment-card').count(), 0);
  assert.equal((await api(server, `/api/v1/equipment/${itemId}`, { token: person.token })).status, 200);
  await online({ context, page });
  await phase(page, 'synced');
  assert.equal((await api(server, `/api/v1/equipment/${itemId}`, { token: person.token })).status, 404);
  assert.deepEqual(errors, []);
  await context.close();
});
