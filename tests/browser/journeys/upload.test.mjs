// Upload a GPX from the shared corpus and see its map, charts and splits.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { account, api, logIn, newPage, screenshots, serverAndBrowser } from './support.mjs';

const CORPUS = process.env.TEST_CORPUS_DIR ?? join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'corpus');

const shared = serverAndBrowser();

test('an uploaded GPX shows its map, charts and splits', async () => {
  const { server, browser } = shared;
  const person = await account(server, 'lake');
  const { page } = await newPage(browser);
  await logIn(page, server, person);
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  await page.getByRole('navigation', { name: 'Main' }).last().getByRole('link', { name: 'Upload' }).click();

  // Two files at once: one good, one that is not an activity.
  await page.getByLabel('Files').setInputFiles([
    {
      name: 'cerknicko-jezero.gpx',
      mimeType: 'application/gpx+xml',
      buffer: readFileSync(join(CORPUS, 'gpx', 'cerknicko-jezero.gpx')),
    },
    { name: 'notes.gpx', mimeType: 'application/gpx+xml', buffer: Buffer.from('just some text, not a track') },
  ]);
  const items = page.getByTestId('upload-item');
  await items.filter({ hasText: 'cerknicko-jezero.gpx' }).getByText('Uploaded.').waitFor();
  await items.filter({ hasText: 'notes.gpx' }).getByRole('alert').waitFor();
  await page.getByRole('heading', { name: '1 training uploaded' }).waitFor();
  await screenshots(page, 'upload');

  await items.filter({ hasText: 'cerknicko-jezero.gpx' }).getByRole('link', { name: 'Open' }).click();
  await page.getByTestId('distance').filter({ hasText: '4.58 km' }).waitFor();
  // The map: Leaflet draws the track as an SVG path, with no tile server set.
  const map = page.getByTestId('map');
  await map.locator('path.leaflet-interactive').first().waitFor();
  // The charts: elevation and pace (or speed, by sport), each a uPlot canvas.
  const charts = page.getByTestId('charts');
  await charts.getByRole('heading', { name: /Elevation/ }).waitFor();
  await charts.getByRole('heading', { name: /Pace|Speed/ }).waitFor();
  assert.ok((await charts.locator('canvas').count()) >= 2);
  // Splits: one row per whole or started kilometre.
  const splits = page.getByTestId('splits').locator('tbody tr');
  assert.equal(await splits.count(), 5);
  await screenshots(page, 'workout');
  // The dark theme follows the device.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
  await screenshots(page, 'workout-dark');

  // Only the good file became a workout.
  const list = await api(server, '/api/v1/workouts', { token: person.token });
  assert.equal(list.body.items.length, 1);
});
