// Upload real files from the shared corpus (a GPX walk, a FIT run, a FIT
// ride, a TCX), then open every screen: not one console error on the way.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  account,
  api,
  CORPUS,
  DESKTOP,
  logIn,
  newPage,
  PHONE,
  screenshots,
  serverAndBrowser,
  uploadFile,
} from './support.mjs';

const FILES = [
  ['gpx', 'cerknicko-jezero.gpx', 'application/gpx+xml'],
  ['fit', 'activity-small-fenix2-run.fit', 'application/octet-stream'],
  ['fit', 'sample-activity.fit', 'application/octet-stream'],
  ['tcx', 'test.tcx', 'application/vnd.garmin.tcx+xml'],
];

const shared = serverAndBrowser();

/**
 * Every console error and uncaught exception of a page, to be asserted empty.
 * `expected` matches the ones a server from before the current contract
 * causes on purpose (see `tolerated`).
 */
function watchErrors(page, expected = () => false) {
  const errors = [];
  page.on('console', (message) => {
    const text = `console: ${message.text()} (${message.location().url})`;
    if (message.type() === 'error' && !expected(text)) errors.push(text);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return errors;
}

/** Waits until the screen shows its heading and nothing is loading any more. */
/**
 * A server that does not know `utc_offset_minutes` on uploads yet refuses the
 * first upload that sends it (422), and the app sends the file again without:
 * that one 422 is expected of such a server, and of no other.
 */
async function tolerated(server) {
  const spec = (await api(server, '/openapi.json')).body;
  const knowsOffset = Boolean(spec.components.schemas.WorkoutUpload?.properties?.utc_offset_minutes);
  return (text) => !knowsOffset && text.includes('status of 422') && text.endsWith('/api/v1/workouts)');
}

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
  const errors = watchErrors(page, await tolerated(server));

  await page.getByRole('navigation', { name: 'Main' }).first().getByRole('link', { name: 'Upload' }).click();
  const offsets = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/api/v1/workouts')) {
      offsets.push(request.postData()?.match(/name="utc_offset_minutes"\r\n\r\n(-?\d+)/)?.[1]);
    }
  });
  await page.getByLabel('Files').setInputFiles(
    FILES.map(([folder, name, mimeType]) => ({ name, mimeType, buffer: readFileSync(join(CORPUS, folder, name)) })),
  );
  await page.getByRole('heading', { name: `${FILES.length} trainings uploaded` }).waitFor({ timeout: 60_000 });

  // Each upload told the server the device's offset from UTC (Berlin: +60 or +120).
  const list = await api(server, '/api/v1/workouts?limit=50', { token: person.token });
  assert.equal(list.body.items.length, FILES.length);
  assert.ok(['60', '120'].includes(offsets[0]), `utc_offset_minutes ${offsets[0]}`);

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
    // The periods' table; the by-sport table may show beside it at any moment.
    await page.getByTestId('periods').waitFor();
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

test('statistics page back through the years and break the totals down by sport', async () => {
  const { server, browser } = shared;
  const person = await account(server, 'years');
  // sample-activity.fit is a ride of 2011, fifteen years back: beyond the twelve years shown first.
  assert.equal((await uploadFile(server, person.token, 'fit/sample-activity.fit')).status, 201);
  const made = await api(server, '/api/v1/workouts', {
    method: 'POST',
    token: person.token,
    body: { sport: 'running', started_at: new Date(Date.now() - 86_400_000).toISOString(), duration_s: 1800, distance_m: 5000 },
  });
  assert.equal(made.status, 201);
  const { page } = await newPage(browser, DESKTOP);
  await logIn(page, server, person);
  await settled(page, /Hello/);
  await page.goto(`${server.url}/stats`);
  await settled(page, 'Statistics');
  await page.getByRole('button', { name: 'Year', exact: true }).click();
  const rows = page.getByTestId('periods').locator('tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 12);
  assert.equal(await rows.filter({ hasText: '2011' }).count(), 0);
  const bySport = page.getByTestId('by-sport');
  await bySport.getByRole('row', { name: /Running\s+1\s+5.00 km\s+30:00/ }).waitFor();
  assert.equal(await bySport.getByRole('row', { name: /Cycling/ }).count(), 0, 'the ride is not in these years');

  // Back in time: the twelve years before, with the ride of 2011.
  const later = page.getByRole('button', { name: 'Later →' });
  assert.ok(await later.isDisabled());
  await page.getByRole('button', { name: '← Earlier' }).click();
  await rows.filter({ hasText: '2011' }).getByRole('cell', { name: '88.80 km' }).waitFor();
  await bySport.getByRole('row', { name: /Cycling\s+1\s+88.80 km/ }).waitFor();
  assert.equal(await bySport.getByRole('row', { name: /Running/ }).count(), 0);
  await screenshots(page, 'stats-earlier');
  await later.click();
  await bySport.getByRole('row', { name: /Running/ }).waitFor();
  await screenshots(page, 'stats-by-sport');
});

test('on a phone the menu reaches the records, and a new screen opens at its top', async () => {
  const { server, browser } = shared;
  const person = await account(server, 'phone');
  for (let i = 0; i < 12; i++) {
    const started = new Date(Date.now() - (i + 1) * 86_400_000).toISOString();
    await api(server, '/api/v1/workouts', {
      method: 'POST',
      token: person.token,
      body: { sport: 'running', started_at: started, duration_s: 1800, distance_m: 5000, title: `Run ${i}` },
    });
  }
  const { page } = await newPage(browser, PHONE);
  await logIn(page, server, person);
  await settled(page, /Hello/);
  const tabs = page.getByRole('navigation', { name: 'Main' }).last();
  await tabs.getByRole('link', { name: 'Records' }).click();
  await settled(page, 'Personal records');
  await screenshots(page, 'records-tab');

  // Scrolled down on the home screen, then to the log form: its heading shows below the bar.
  await tabs.getByRole('link', { name: 'Home' }).click();
  await settled(page, /Hello/);
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  assert.ok((await page.evaluate(() => window.scrollY)) > 100, 'the home screen scrolls');
  await tabs.getByRole('link', { name: 'Log' }).click();
  const heading = page.getByRole('heading', { level: 1, name: 'Log a training' });
  await heading.waitFor();
  const bar = await page.getByRole('banner').boundingBox();
  const top = await heading.boundingBox();
  assert.ok(top.y >= bar.y + bar.height, `the heading (at ${top.y}) is under the bar (ending at ${bar.y + bar.height})`);
  assert.equal(await page.evaluate(() => window.scrollY), 0);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'main', 'focus starts at the new screen');
});

test('files dropped on the upload area are uploaded, and a repeated one points to the training it is', async () => {
  const { server, browser } = shared;
  const person = await account(server, 'drop');
  const { page } = await newPage(browser, DESKTOP);
  await logIn(page, server, person);
  await settled(page, /Hello/);
  await page.goto(`${server.url}/upload`);
  await settled(page, 'Upload activity files');

  const drop = async (name) => {
    const bytes = [...readFileSync(join(CORPUS, 'gpx', name))];
    const data = await page.evaluateHandle(
      ({ bytes, name }) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(bytes)], name, { type: 'application/gpx+xml' }));
        return transfer;
      },
      { bytes, name },
    );
    const zone = page.getByTestId('dropzone');
    await zone.dispatchEvent('dragenter', { dataTransfer: data });
    await zone.dispatchEvent('dragover', { dataTransfer: data });
    await zone.dispatchEvent('drop', { dataTransfer: data });
  };
  await drop('korita-zbevnica.gpx');
  const items = page.getByTestId('upload-item');
  await items.first().getByText('Uploaded.').waitFor();
  const list = await api(server, '/api/v1/workouts', { token: person.token });
  assert.equal(list.body.items.length, 1);

  // The same file again: the server knows it (409 duplicate-workout) and names the training.
  const again = await uploadFile(server, person.token, 'gpx/korita-zbevnica.gpx');
  if (again.status === 409) {
    await drop('korita-zbevnica.gpx');
    const repeated = items.first();
    await repeated.getByText('Already uploaded.').waitFor();
    await repeated.getByRole('link', { name: 'Open that training' }).click();
    await page.waitForURL(`**/workouts/${list.body.items[0].id}`);
  } else {
    // A server without duplicate detection yet took it as a second training.
    assert.equal(again.status, 201);
  }
});
