// Equipment: shoes made the default for running are chosen for a run logged
// by hand, and the run's distance shows on them once inventory has counted
// it (from training's events, a moment later); shoes added or changed
// offline wait on the device and reach the server once the network returns;
// a bike's parts are renamed, given a new warning distance and deleted, and
// the bike is retired on a day chosen in the past.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { account, api, logIn, newPage, screenshots, serverAndBrowser } from './support.mjs';

const shared = serverAndBrowser();

/** The tab bar on a phone (the top bar's links on a desktop). */
function menu(page) {
  return page.getByRole('navigation', { name: 'Main' }).last();
}

/** The calendar day `days` before today where the browser is (Berlin), as `YYYY-MM-DD`. */
function daysAgo(days) {
  return new Date(Date.now() - days * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Berlin' });
}

async function addShoes(page, { brand, model, nickname }) {
  await page.getByRole('button', { name: 'Add equipment' }).click();
  const form = page.getByTestId('equipment-form');
  await form.getByLabel('Kind').selectOption('shoes');
  await form.getByLabel('Brand').fill(brand);
  await form.getByLabel('Model').fill(model);
  await form.getByLabel('Nickname').fill(nickname);
  await form.getByTestId('equipment-sports').getByRole('checkbox', { name: 'Running', exact: true }).check();
  await form.getByTestId('equipment-default-for').getByRole('checkbox', { name: 'Running', exact: true }).check();
  await form.getByRole('button', { name: 'Add equipment' }).click();
  await form.waitFor({ state: 'detached' });
}

test('shoes made the default for running are chosen for a run, and its 10 km count on them', async () => {
  const { server, browser } = shared;
  const person = await account(server, 'shoes');
  const { page } = await newPage(browser);
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await logIn(page, server, person);
  await page.getByRole('heading', { name: /Hello/ }).waitFor();

  await menu(page).getByRole('link', { name: 'Gear' }).click();
  await page.getByRole('heading', { level: 1, name: 'Equipment' }).waitFor();
  await page.getByText('No equipment yet.', { exact: false }).waitFor();
  await addShoes(page, { brand: 'Asics', model: 'Novablast 4', nickname: 'Blue ones' });
  const card = page.getByTestId('equipment-card').filter({ hasText: 'Blue ones' });
  await card.getByText('0.00 km of 700 km').waitFor();
  const [shoes] = (await api(server, '/api/v1/equipment', { token: person.token })).body;
  assert.equal(shoes.name, 'Blue ones');
  assert.deepEqual(shoes.default_for, ['running']);

  // Logged by hand: the shoes are chosen already, as running's default.
  await menu(page).getByRole('link', { name: 'Log' }).click();
  await page.getByRole('heading', { name: 'Log a training' }).waitFor();
  const picked = page.getByTestId('equipment-picker').getByRole('checkbox', { name: 'Blue ones' });
  await picked.waitFor();
  assert.ok(await picked.isChecked(), 'the default shoes are preselected');
  await page.getByLabel('Title').fill('Tempo ten');
  await page.getByLabel('Minutes').fill('50');
  await page.getByLabel('Distance (km)').fill('10');
  await page.getByRole('button', { name: 'Save the training' }).click();
  await page.getByRole('heading', { level: 1, name: 'Tempo ten' }).waitFor();
  await page.getByTestId('used-equipment').getByRole('link', { name: 'Blue ones' }).waitFor();
  const run = (await api(server, '/api/v1/workouts', { token: person.token })).body.items[0];
  assert.deepEqual(run.equipment_ids, [shoes.id]);

  // Counted a moment later: the list asks again until the run shows on the shoes.
  await menu(page).getByRole('link', { name: 'Gear' }).click();
  await card.getByText('10.00 km of 700 km').waitFor();
  await card.getByText('1 training').waitFor();
  await screenshots(page, 'equipment');

  await card.getByRole('link', { name: /Blue ones/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Blue ones' }).waitFor();
  await page.getByTestId('usage-chart').waitFor();
  await screenshots(page, 'equipment-item');
  assert.deepEqual(errors, []);
});

test('shoes added and changed offline show at once, wait on the device, and are sent once online', async () => {
  const { server, browser } = shared;
  const person = await account(server, 'offline-shoes');
  const { context, page } = await newPage(browser);
  await logIn(page, server, person);
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.goto(`${server.url}/equipment`);
  await page.getByRole('heading', { level: 1, name: 'Equipment' }).waitFor();
  await page.getByText('No equipment yet.', { exact: false }).waitFor();
  // As the offline journey: no token refresh cut off halfway.
  await page.waitForLoadState('networkidle');

  await context.setOffline(true);
  await addShoes(page, { brand: 'Hoka', model: 'Clifton 9', nickname: 'Clouds' });
  const card = page.getByTestId('equipment-card').filter({ hasText: 'Clouds' });
  await card.getByText('Waits on this device to be sent.').waitFor();
  const outbox = page.getByTestId('outbox');
  await outbox.getByRole('heading', { name: '1 change waiting to be sent' }).waitFor();
  await outbox.getByText('Clouds').waitFor();
  await screenshots(page, 'equipment-offline');
  assert.equal((await api(server, '/api/v1/equipment', { token: person.token })).body.length, 0);

  await context.setOffline(false);
  await outbox.waitFor({ state: 'detached' });
  await card.getByRole('link', { name: /Clouds/ }).waitFor();
  // Another flush sends nothing twice.
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
  const items = (await api(server, '/api/v1/equipment', { token: person.token })).body;
  assert.equal(items.length, 1);
  assert.equal(items[0].name, 'Clouds');
  assert.deepEqual(items[0].default_for, ['running']);

  // A change made offline shows on the item at once and reaches the server when the network is back.
  await card.getByRole('link', { name: /Clouds/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Clouds' }).waitFor();
  await page.waitForLoadState('networkidle');
  await context.setOffline(true);
  await page.getByRole('link', { name: 'Edit' }).click();
  await page.getByLabel('Nickname').fill('Soft clouds');
  await page.getByRole('button', { name: 'Save the changes' }).click();
  await page.getByRole('heading', { level: 1, name: 'Soft clouds' }).waitFor();
  await page.getByText('Waits on this device to be sent.').waitFor();
  await outbox.getByText('changed equipment').waitFor();
  assert.equal((await api(server, `/api/v1/equipment/${items[0].id}`, { token: person.token })).body.name, 'Clouds');
  await context.setOffline(false);
  await outbox.waitFor({ state: 'detached' });
  const changed = (await api(server, `/api/v1/equipment/${items[0].id}`, { token: person.token })).body;
  assert.equal(changed.name, 'Soft clouds');
  assert.equal(changed.brand, 'Hoka', 'the rest stays');
});

test('parts of a bike are renamed and deleted, and the bike is retired on a day chosen in the past', async () => {
  const { server, browser } = shared;
  const person = await account(server, 'bike');
  const { page } = await newPage(browser);
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const bought = daysAgo(90);
  const create = { kind: 'bike', brand: 'Canyon', model: 'Grail', nickname: 'Gravel', purchased_on: bought };
  const bike = (await api(server, '/api/v1/equipment', { method: 'POST', token: person.token, body: create })).body;
  for (const part of [{ kind: 'chain' }, { kind: 'tyre', name: 'Front tyre' }]) {
    const added = await api(server, `/api/v1/equipment/${bike.id}/components`, {
      method: 'POST',
      token: person.token,
      body: part,
    });
    assert.equal(added.status, 201, JSON.stringify(added.body));
  }
  await logIn(page, server, person);
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  await page.goto(`${server.url}/equipment/${bike.id}`);
  await page.getByRole('heading', { level: 1, name: 'Gravel' }).waitFor();
  const parts = page.getByTestId('part');

  // Renamed, with a warning distance of its own, from the part's "more" menu.
  const chain = parts.filter({ hasText: 'Chain' });
  await chain.getByRole('button', { name: 'More for Chain' }).click();
  await chain.getByRole('button', { name: 'Rename or change the warning distance' }).click();
  const form = chain.getByTestId('part-change-form');
  await form.getByLabel('Name').fill('KMC X11');
  await form.getByLabel('Warn after (km)').fill('4000');
  await screenshots(page, 'equipment-part-change');
  await form.getByRole('button', { name: 'Save' }).click();
  await parts.filter({ hasText: 'KMC X11' }).getByText('0.00 km of 4,000 km').waitFor();

  // Deleted after asking: entered by mistake, it leaves no history.
  const tyre = parts.filter({ hasText: 'Front tyre' });
  await tyre.getByRole('button', { name: 'More for Front tyre' }).click();
  await tyre.getByRole('button', { name: 'Delete the part' }).click();
  const asked = page.getByRole('dialog', { name: 'Delete “Front tyre”?' });
  await asked.getByRole('button', { name: 'Delete the part' }).click();
  await tyre.waitFor({ state: 'detached' });
  assert.equal(await parts.count(), 1);
  const { components } = (await api(server, `/api/v1/equipment/${bike.id}`, { token: person.token })).body;
  assert.equal(components.length, 1);
  assert.equal(components[0].name, 'KMC X11');
  assert.equal(components[0].threshold_m, 4_000_000);

  // Retired on a day chosen: today unless changed, and not before the bike was bought.
  await page.getByRole('button', { name: 'Retire', exact: true }).click();
  const retiring = page.getByRole('dialog', { name: 'Retire Gravel?' });
  const day = retiring.getByLabel('Retired on');
  assert.equal(await day.inputValue(), daysAgo(0));
  await day.fill(daysAgo(100));
  await retiring.getByRole('button', { name: 'Retire', exact: true }).click();
  await retiring.getByText('It was bought on', { exact: false }).waitFor();
  const retired = daysAgo(12);
  await day.fill(retired);
  await screenshots(page, 'equipment-retire', { fullPage: false });
  await retiring.getByRole('button', { name: 'Retire', exact: true }).click();
  await retiring.waitFor({ state: 'hidden' });
  const shown = await page.evaluate(
    (on) =>
      new Date(`${on}T00:00:00`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' }),
    retired,
  );
  await page.getByText(`Retired on ${shown}`).waitFor();
  await page.getByRole('button', { name: 'Bring back into use' }).waitFor();
  assert.equal((await api(server, `/api/v1/equipment/${bike.id}`, { token: person.token })).body.retired_on, retired);
  await screenshots(page, 'equipment-retired');
  assert.deepEqual(errors, []);
});
