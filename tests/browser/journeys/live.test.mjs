// Two open devices of one person: a training logged on one appears on the
// other without a reload, over the realtime socket.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { account, api, logIn, newPage, screenshots, serverAndBrowser } from './support.mjs';

const shared = serverAndBrowser();

test('a training logged on one device appears on the other at once', async () => {
  const { server, browser } = shared;
  const person = await account(server, 'live');
  const phone = await newPage(browser);
  const laptop = await newPage(browser);
  await logIn(phone.page, server, person);
  // The laptop's socket opens with a ticket; once one is issued, it is live.
  const ticket = laptop.page.waitForResponse(
    (r) => r.url().endsWith('/api/v1/realtime/ticket') && r.status() === 201,
  );
  await logIn(laptop.page, server, person);
  await laptop.page.getByRole('heading', { name: /Hello/ }).waitFor();
  await ticket;

  await phone.page.goto(`${server.url}/log`);
  await phone.page.getByLabel('Title').fill('Hill repeats on the phone');
  await phone.page.getByLabel('Minutes').fill('35');
  await phone.page.getByLabel('Distance (km)').fill('6.2');
  await phone.page.getByRole('button', { name: 'Save the training' }).click();

  // No reload on the laptop: the socket tells it, and the list fetches again.
  await laptop.page.getByRole('link', { name: /Hill repeats on the phone/ }).waitFor({ timeout: 15_000 });
  await screenshots(laptop.page, 'live-other-device');
  const list = await api(server, '/api/v1/workouts', { token: person.token });
  assert.equal(list.body.items.length, 1);
  assert.equal(await laptop.page.getByTestId('reconnecting').count(), 0, 'no reconnecting notice while live');
  await phone.context.close();
  await laptop.context.close();
});
