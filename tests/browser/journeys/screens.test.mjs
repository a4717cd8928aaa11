// Upload real files from the shared corpus (a GPX walk, a FIT run, a FIT
// ride, a TCX), then open every screen: not one console error on the way.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { account, api, DESKTOP, logIn, newPage, screenshots, serverAndBrowser } from './support.mjs';

const CORPUS = process.env.TEST_CORPUS_DIR ?? join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'corpus');

const FILES = [
  ['gpx', 'cerknicko-jezero.gpx', 'application/gpx+xml'],
  ['fit', 'activity-small-fenix2-run.fit', 'application/octet-stream'],
  ['fit', 'sample-activity.fit', 'application/octet-stream'],
  ['tcx', 'test.tcx', 'application/vnd.garmin.tcx+xml'],
];

const shared = serverAndBrowser();

/** Every console error and uncaught exception of a page, to be asserted empty. */
function watchErrors(page) {
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return errors;
}

/** Waits until the screen shows its heading and nothing is loading any more. */
async function settled(page, heading) {
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await page.getByText('Loading…').waitFor({ state: 'detached' });
}

test('every screen opens without an error after uploading GPX, FIT and TCX files', async () => {
  const { server, browser } = shared;
  const person = await account(server, 'corpus');
  const { page } = await newPage(browser, DESKTOP);
  await logIn(page, server, person);
  await settled(page, /Hello/);
  // From here on (the login screen asks for an external provider, which is a 404 when none is set).
  const errors = watchErrors(page);

  await page.getByRole('navigation', { name: 'Main' }).first().getByRole('link', { name: 'Upload' }).click();
  await page.getByLabel('Files').setInputFiles(
    FILES.map(([folder, name, mimeType]) => ({ name, mimeType, buffer: readFileSync(join(CORPUS, folder, name)) })),
  );
  await page.getByRole('heading', { name: `${FILES.length} trainings uploaded` }).waitFor({ timeout: 60_000 });

  const list = await api(server, '/api/v1/workouts?limit=50', { token: person.token });
  assert.equal(list.body.items.length, FILES.length);

  await page.goto(`${server.url}/`);
  await settled(page, /Hello/);
  for (const workout of list.body.items) {
    await page.goto(`${server.url}/workouts/${workout.id}`);
    await settled(page, workout.title);
    await page.getByTestId('distance').waitFor();
  }
  await page.goto(`${server.url}/stats`);
  await settled(page, 'Statistics');
  for (const period of ['Week', 'Month', 'Year']) {
    await page.getByRole('button', { name: period, exact: true }).click();
    await page.getByRole('table').waitFor();
  }
  await page.goto(`${server.url}/records`);
  await settled(page, 'Personal records');
  await page.getByRole('heading', { level: 2, name: 'Running' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'Cycling' }).waitFor();
  await page.goto(`${server.url}/settings`);
  await settled(page, 'Settings');

  assert.deepEqual(errors, []);
});

test('a screen that fails says sorry and keeps the header and the menu', async () => {
  const { server, browser } = shared;
  const person = await account(server, 'broken');
  const { page } = await newPage(browser);
  await logIn(page, server, person);
  await settled(page, /Hello/);
  // An answer the screen cannot read.
  await page.route('**/api/v1/records', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: '{"surprise":true}' }),
  );
  await page.goto(`${server.url}/records`);
  const apology = page.getByTestId('screen-failed');
  await apology.getByRole('heading', { name: 'Sorry, this screen failed' }).waitFor();
  await apology.getByRole('button', { name: 'Reload' }).waitFor();
  await page.getByRole('banner').getByRole('link', { name: 'Athlos' }).waitFor();
  const tabs = page.getByRole('navigation', { name: 'Main' }).last();
  assert.ok(await tabs.isVisible(), 'the menu stays');
  await screenshots(page, 'screen-failed');

  // The way back works, and the other screens are whole.
  await apology.getByRole('link', { name: 'Back home' }).click();
  await settled(page, /Hello/);
  await page.unroute('**/api/v1/records');
  await tabs.getByRole('link', { name: 'Statistics' }).click();
  await settled(page, 'Statistics');
});
