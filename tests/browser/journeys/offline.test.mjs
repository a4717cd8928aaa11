// Log a training with the network cut; it waits on the device, then reaches the server once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { account, api, logIn, newPage, screenshots, serverAndBrowser } from './support.mjs';

const shared = serverAndBrowser();

test('a training logged offline is sent exactly once when the network returns', async () => {
  const { server, browser } = shared;
  const person = await account(server, 'offline');
  const { context, page } = await newPage(browser);
  await logIn(page, server, person);
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  // The service worker has cached the app: it opens with no network at all.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.goto(`${server.url}/log`);
  await page.evaluate(() => navigator.serviceWorker.ready);
  // Let the page's token refresh finish: a refresh whose answer is cut off
  // leaves the device with a spent refresh token (the server then ends the
  // session as stolen), which is not what this journey is about.
  await page.waitForLoadState('networkidle');

  await context.setOffline(true);
  await page.reload();
  await page.getByRole('heading', { name: 'Log a training' }).waitFor();
  await page.getByText('You are offline.', { exact: false }).waitFor();

  await page.getByLabel('Title').fill('Evening run in the tunnel');
  await page.getByLabel('Minutes').fill('42');
  await page.getByLabel('Distance (km)').fill('8.4');
  await page.getByRole('button', { name: 'Save the training' }).click();

  const outbox = page.getByTestId('outbox');
  await outbox.getByRole('heading', { name: '1 training waiting to be sent' }).waitFor();
  await outbox.getByText('Evening run in the tunnel').waitFor();
  await screenshots(page, 'offline-outbox');
  // Still on the device, even after a reload without network.
  await page.reload();
  await outbox.getByText('Evening run in the tunnel').waitFor();
  let list = await api(server, '/api/v1/workouts', { token: person.token });
  assert.equal(list.body.items.length, 0, 'nothing reached the server while offline');

  await context.setOffline(false);
  await outbox.waitFor({ state: 'detached' });
  // Its page opened from the device's copy offline, and stays as the server now has it.
  await page.getByRole('heading', { level: 1, name: 'Evening run in the tunnel' }).waitFor();
  // Another flush (the app coming back to the front) sends nothing twice.
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
  list = await api(server, '/api/v1/workouts', { token: person.token });
  assert.equal(list.body.items.length, 1);
  assert.equal(list.body.items[0].title, 'Evening run in the tunnel');
  assert.equal(list.body.items[0].distance_m, 8400);
  assert.equal(list.body.items[0].duration_s, 42 * 60);
});
