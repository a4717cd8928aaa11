// Change units in the settings and see every distance follow.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { account, api, logIn, newPage, screenshots, serverAndBrowser } from './support.mjs';

const shared = serverAndBrowser();

/** Picks the units and waits for the server's answer to the change. */
async function changeUnits(page, units) {
  const saved = page.waitForResponse(
    (response) => response.url().endsWith('/api/v1/account') && response.request().method() === 'PATCH',
  );
  await page.getByTestId('units').selectOption(units);
  assert.equal((await saved).status(), 200);
}

test('switching to imperial units shows miles and feet everywhere', async () => {
  const { server, browser } = shared;
  const person = await account(server, 'units');
  const started = new Date(Date.now() - 3600_000).toISOString();
  const made = await api(server, '/api/v1/workouts', {
    method: 'POST',
    token: person.token,
    body: { sport: 'running', started_at: started, duration_s: 3000, distance_m: 10000, elevation_gain_m: 100, title: 'Ten k' },
  });
  assert.equal(made.status, 201);

  const { page } = await newPage(browser, { width: 1280, height: 820 });
  await logIn(page, server, person);
  const item = page.getByRole('link', { name: /Ten k/ });
  await item.getByText('10.00 km').waitFor();
  await screenshots(page, 'home');

  // Totals and records, in kilometres first.
  await page.goto(`${server.url}/stats`);
  await page.getByRole('cell', { name: '10.00 km' }).first().waitFor();
  await screenshots(page, 'stats');
  await page.goto(`${server.url}/records`);
  await page.getByRole('row', { name: /Longest distance\s+10.00 km/ }).waitFor();
  await screenshots(page, 'records');

  await page.goto(`${server.url}/settings`);
  await changeUnits(page, 'imperial');
  await screenshots(page, 'settings');
  const me = await api(server, '/api/v1/account', { token: person.token });
  assert.equal(me.body.units, 'imperial', 'the choice is kept on the account, for every device');

  await page.getByRole('link', { name: 'Home' }).first().click();
  await item.getByText('6.21 mi').waitFor();
  await item.click();
  await page.getByTestId('distance').filter({ hasText: '6.21 mi' }).waitFor();
  await page.getByText('328 ft').waitFor();
  await page.getByText('8:03 /mi').waitFor();
  await screenshots(page, 'workout-imperial');
  await page.goto(`${server.url}/records`);
  await page.getByRole('row', { name: /Longest distance\s+6.21 mi/ }).waitFor();

  // Back to metric: the numbers return.
  await page.goto(`${server.url}/settings`);
  await changeUnits(page, 'metric');
  await page.goto(`${server.url}/workouts/${made.body.id}`);
  await page.getByTestId('distance').filter({ hasText: '10.00 km' }).waitFor();
  await page.getByText('5:00 /km').waitFor();
});
