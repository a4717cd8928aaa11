// A training's page: charts that read out and move together, sensible pace
// ticks, a long ride's splits grouped, the map under the sticky bar, deleting
// through an in-app dialog, and a public training open to anyone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { account, api, DESKTOP, logIn, newPage, PHONE, screenshots, serverAndBrowser, uploadFile } from './support.mjs';

const shared = serverAndBrowser();

async function opened(page, server, workout) {
  await page.goto(`${server.url}/workouts/${workout.id}`);
  await page.getByRole('heading', { level: 1, name: workout.title }).waitFor();
}

test('the charts of a run read out the values under the cursor together, on a pace axis in mm:ss', async () => {
  const { server, browser } = shared;
  const person = await account(server, 'charts');
  const run = (await uploadFile(server, person.token, 'fit/activity-small-fenix2-run.fit')).body;
  const { page } = await newPage(browser, DESKTOP);
  await logIn(page, server, person);
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  await opened(page, server, run);
  const charts = page.getByTestId('charts');
  const figures = charts.locator('figure');
  await figures.nth(2).locator('canvas').waitFor();
  assert.equal(await figures.count(), 3, 'elevation, pace and heart rate');

  // The pace axis (about 5:14 /km on average) ticks in whole steps of mm:ss around the data.
  const pace = figures.filter({ has: page.getByRole('heading', { name: /Pace/ }) });
  const ticks = (await pace.locator('[data-ticks]').getAttribute('data-ticks')).split(' ');
  assert.ok(ticks.length >= 2, `ticks: ${ticks}`);
  const seconds = ticks.map((tick) => {
    assert.match(tick, /^\d{1,2}:\d\d$/);
    const [m, s] = tick.split(':').map(Number);
    return m * 60 + s;
  });
  const step = Math.abs(seconds[1] - seconds[0]);
  assert.ok([5, 10, 15, 20, 30, 60, 120, 180, 300].includes(step), `a step of ${step} s (${ticks})`);
  for (const value of seconds) assert.ok(value >= 120 && value <= 12 * 60, `${value} s is near the data (${ticks})`);

  // Hovering one chart reads out all three at the same place.
  await pace.locator('.u-over').hover();
  const readouts = charts.getByTestId('readout');
  for (let i = 0; i < 3; i++) await readouts.nth(i).filter({ hasText: /\d/ }).waitFor();
  const texts = await readouts.allTextContents();
  assert.match(texts[0], /km · \d+ m$/);
  assert.match(texts[1], /km · \d+:\d\d \/km$/);
  assert.match(texts[2], /km · \d+ bpm$/);
  const places = texts.map((text) => text.split(' · ')[0]);
  assert.ok(places.every((place) => place === places[0]), `one place for all: ${places}`);
  await screenshots(page, 'training-run');
});

test('a long ride gets grouped splits, at most 25 rows, and the map stays under the bar', async () => {
  const { server, browser } = shared;
  const person = await account(server, 'ride');
  const ride = (await uploadFile(server, person.token, 'fit/sample-activity.fit')).body;
  const { page } = await newPage(browser, PHONE);
  await logIn(page, server, person);
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  await opened(page, server, ride);
  const splits = page.getByTestId('splits').locator('tbody tr');
  await splits.first().waitFor();
  const rows = await splits.count();
  assert.ok(rows <= 25 && rows >= 5, `${rows} rows of splits`);
  await splits.first().getByRole('cell', { name: '0–5' }).waitFor();
  // Every kilometre is still there to be had.
  await page.getByRole('button', { name: '1 km', exact: true }).click();
  assert.equal(await splits.count(), 89);
  await page.getByRole('button', { name: '5 km', exact: true }).click();

  // Scrolled so that the map passes under the sticky bar: the bar stays on top.
  const map = page.getByTestId('map');
  await map.locator('path.leaflet-interactive').first().waitFor();
  const bar = await page.getByRole('banner').boundingBox();
  await map.scrollIntoViewIfNeeded();
  await page.evaluate(
    ({ barBottom }) => {
      const top = document.querySelector('[data-testid="map"]').getBoundingClientRect().top + window.scrollY;
      window.scrollTo(0, top - barBottom + 120);
    },
    { barBottom: bar.y + bar.height },
  );
  const onTop = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.closest('header')?.className, {
    x: bar.x + bar.width / 2,
    y: bar.y + bar.height / 2,
  });
  assert.equal(onTop, 'topbar', 'the bar, not the map, is under the pointer');
  const zoom = await page.evaluate(() => {
    const button = document.querySelector('.leaflet-control-zoom-in').getBoundingClientRect();
    const hit = document.elementFromPoint(button.x + button.width / 2, button.y + button.height / 2);
    return { inBar: button.y < document.querySelector('header').getBoundingClientRect().bottom, hit: hit?.tagName };
  });
  if (zoom.inBar) assert.notEqual(zoom.hit, 'A', 'the zoom button is painted under the bar');
  await screenshots(page, 'training-ride');
});

test('deleting asks in an in-app dialog that keeps the focus and cancels on Escape', async () => {
  const { server, browser } = shared;
  const person = await account(server, 'delete');
  const walk = (await uploadFile(server, person.token, 'gpx/cerknicko-jezero.gpx')).body;
  const { page } = await newPage(browser, DESKTOP);
  await logIn(page, server, person);
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  await opened(page, server, walk);
  const dialogs = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    dialog.dismiss();
  });

  await page.getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete the training?' });
  await dialog.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Cancel', 'Cancel has the focus');
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => Boolean(document.activeElement?.closest('dialog'))), 'focus stays in it');
  }
  await screenshots(page, 'delete-dialog');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal((await api(server, `/api/v1/workouts/${walk.id}`, { token: person.token })).status, 200);

  await page.getByRole('button', { name: 'Delete' }).click();
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  assert.equal((await api(server, `/api/v1/workouts/${walk.id}`, { token: person.token })).status, 404);
  assert.deepEqual(dialogs, [], 'no browser confirm');
});

test('a public training opens for a visitor and for another person, read-only with its owner', async () => {
  const { server, browser } = shared;
  const owner = await account(server, 'owner');
  const walk = (await uploadFile(server, owner.token, 'gpx/cerknicko-jezero.gpx', { privacy: 'public' })).body;
  assert.equal(walk.privacy, 'public');
  const answer = (await api(server, `/api/v1/workouts/${walk.id}`)).body;

  // Not logged in: the training, its owner, a way in, and nothing to change.
  const { page } = await newPage(browser, PHONE);
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${server.url}/workouts/${walk.id}`);
  await page.getByRole('heading', { level: 1, name: walk.title }).waitFor();
  assert.equal(new URL(page.url()).pathname, `/workouts/${walk.id}`, 'not sent to the login');
  await page.getByTestId('distance').filter({ hasText: '4.58 km' }).waitFor();
  await page.getByTestId('map').locator('path.leaflet-interactive').first().waitFor();
  await page.getByTestId('charts').locator('canvas').first().waitFor();
  await page.getByRole('banner').getByRole('link', { name: 'Log in' }).waitFor();
  await page.getByRole('banner').getByRole('link', { name: 'Sign up' }).waitFor();
  if (answer.owner) await page.getByTestId('owner').getByText(`by ${answer.owner.display_name}`).waitFor();
  for (const name of ['Edit', 'Delete', 'Download the original file']) {
    assert.equal(await page.getByRole('button', { name }).or(page.getByRole('link', { name })).count(), 0, name);
  }
  await screenshots(page, 'training-visitor');
  assert.deepEqual(errors, []);

  // Logged in as someone else: whose it is, and still nothing to change.
  const other = await account(server, 'reader');
  await logIn(page, server, other);
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  await page.goto(`${server.url}/workouts/${walk.id}`);
  await page.getByRole('heading', { level: 1, name: walk.title }).waitFor();
  if (answer.owner) await page.getByTestId('owner').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Delete' }).count(), 0);
  assert.equal(await page.getByRole('link', { name: 'Edit' }).count(), 0);
  // The tab bar of a logged-in person is there.
  await page.getByRole('navigation', { name: 'Main' }).last().getByRole('link', { name: 'Home' }).waitFor();
});
