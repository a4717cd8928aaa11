// Two people looking for company to run with. Alma, on a touch phone, opts
// in from where she is (the browser's position, cut to a 5 km cell on the
// phone); Bruno, on a laptop, from the home area of his profile. Each finds
// the other in the deck: he answers with the keyboard (a no, undone, then a
// yes), she drags the card to the right with her finger. Both are told of
// the match at once, open the conversation, and talk live: his typing shows
// on her side, her message appears on his screen without a reload, with its
// link as a plain link, and gets the read mark while he has it open.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { account, api, DESKTOP, logIn, newPage, PHONE, screenshots, serverAndBrowser } from './support.mjs';

const shared = serverAndBrowser();
const SHOTS = process.env.SCREENSHOT_DIR ?? join(import.meta.dirname, '..', 'screenshots');

// Ljubljana, and Domžale about 11 km north-east of it.
const ALMA_PLACE = { latitude: 46.0511, longitude: 14.5051 };
const BRUNO_PLACE = { latitude: 46.1376, longitude: 14.5936 };

/** The geohash cell of a place (as web/src/lib/geohash.ts makes it). */
function geohash(latitude, longitude, precision = 5) {
  const alphabet = '0123456789bcdefghjkmnpqrstuvwxyz';
  const lat = [-90, 90];
  const lon = [-180, 180];
  let hash = '';
  let bits = 0;
  let value = 0;
  let even = true;
  while (hash.length < precision) {
    const range = even ? lon : lat;
    const coordinate = even ? longitude : latitude;
    const middle = (range[0] + range[1]) / 2;
    value = (value << 1) | (coordinate >= middle ? 1 : 0);
    if (coordinate >= middle) range[0] = middle;
    else range[1] = middle;
    even = !even;
    if (++bits === 5) {
      hash += alphabet[value];
      bits = 0;
      value = 0;
    }
  }
  return hash;
}

/** An account with a name of its own (support's accounts are all "Ada Runner"). */
async function person(server, prefix, name) {
  const made = await account(server, prefix);
  const renamed = await api(server, '/api/v1/account', {
    method: 'PATCH',
    body: { display_name: name },
    token: made.token,
  });
  assert.equal(renamed.status, 200);
  return { ...made, id: renamed.body.id, name };
}

/** A phone with a touch screen that knows where it is. */
async function touchPhone(browser, geolocation) {
  const context = await browser.newContext({
    viewport: PHONE,
    locale: 'en-GB',
    timezoneId: 'Europe/Berlin',
    hasTouch: true,
    isMobile: true,
    geolocation,
    permissions: ['geolocation'],
  });
  await context.route(
    (url) => !['127.0.0.1', 'localhost'].includes(url.hostname),
    (route) => route.abort(),
  );
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

/** A finger on the screen: down at `from`, moved in steps by `dx`, `dy`, lifted (or not). */
async function drag(page, locator, dx, { dy = 12, lift = true, steps = 12 } = {}) {
  const box = await locator.boundingBox();
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
  for (let step = 1; step <= steps; step++) {
    const point = { x: x + (dx * step) / steps, y: y + (dy * step) / steps };
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [point] });
  }
  if (lift) await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  return async () => cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

/** Fills the opt-in form: running at a pace range, some days and times, a radius. */
async function optIn(page, { fastest, slowest, days, times, radius }) {
  const form = page.getByTestId('finder-form');
  await form.waitFor();
  const running = page.getByTestId('finder-sports').getByRole('checkbox', { name: /Running/ });
  if (!(await running.isChecked())) await running.check();
  const level = page.getByTestId('level-running');
  await level.getByLabel('Fastest (min/km)').fill(fastest);
  await level.getByLabel('Slowest (min/km)').fill(slowest);
  for (const day of days) await page.getByTestId('finder-days').getByRole('checkbox', { name: day }).check();
  for (const time of times) {
    await page.getByTestId('finder-times').getByRole('checkbox', { name: new RegExp(time) }).check();
  }
  await page.getByLabel('How far you would go').fill(String(radius));
}

test('two runners find each other, match, and talk live', async () => {
  const { server, browser } = shared;
  const alma = await person(server, 'alma', 'Alma Strand');
  const bruno = await person(server, 'bruno', 'Bruno Vale');
  // Bruno's profile says where he trains; Alma's says nothing.
  const profile = await api(server, '/api/v1/profile', {
    method: 'PUT',
    token: bruno.token,
    body: { bio: '', sports: ['running'], home_area: geohash(BRUNO_PLACE.latitude, BRUNO_PLACE.longitude), private: false },
  });
  assert.equal(profile.status, 200);
  // He ran three times this week: the finder suggests his level from them, and he shows as active.
  for (const [days, seconds] of [[1, 3000], [2, 3300], [3, 3600]]) {
    const started = new Date(Date.now() - days * 86_400_000).toISOString();
    const run = await api(server, '/api/v1/workouts', {
      method: 'POST',
      token: bruno.token,
      body: { sport: 'running', started_at: started, duration_s: seconds, distance_m: 10_000 },
    });
    assert.equal(run.status, 201);
  }
  let suggested = [];
  for (let attempt = 0; attempt < 100 && suggested.length === 0; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    suggested = (await api(server, '/api/v1/partners/suggestions', { token: bruno.token })).body;
  }
  assert.equal(suggested[0]?.sport, 'running', 'a level suggested from his runs');
  const errors = [];

  // Alma, on her phone: from the messages at the top to the finder.
  const a = await touchPhone(browser, ALMA_PLACE);
  a.page.on('pageerror', (error) => errors.push(`alma: ${error.message}`));
  await logIn(a.page, server, alma);
  await a.page.getByRole('heading', { name: 'Hello, Alma Strand' }).waitFor();
  await a.page.getByTestId('chat-link').click();
  await a.page.getByRole('heading', { level: 1, name: 'Messages' }).waitFor();
  await a.page.getByText('No conversations yet.').waitFor();
  await a.page.getByRole('link', { name: 'Find training partners' }).click();
  await a.page.getByRole('heading', { level: 1, name: 'Training partners' }).waitFor();
  await optIn(a.page, { fastest: '5:00', slowest: '6:30', days: ['Tue', 'Sat', 'Sun'], times: ['Morning'], radius: 25 });
  // Her place: taken by the phone, cut to a cell there; her profile has none.
  await a.page.getByText('Your profile has none yet.').waitFor();
  await a.page.getByRole('button', { name: 'Use my approximate location' }).click();
  await a.page.getByTestId('area-here').getByText(/46(\.\d)?° N/).waitFor();
  assert.ok(await a.page.getByRole('radio', { name: /Where I am now/ }).isChecked());
  await screenshots(a.page, 'partners-opt-in');
  const optedIn = a.page.waitForRequest(
    (r) => r.url().endsWith('/api/v1/partners/me') && r.method() === 'PUT',
  );
  await a.page.getByRole('button', { name: 'Start looking' }).click();
  const sent = JSON.parse((await optedIn).postData());
  assert.equal(sent.home_area, geohash(ALMA_PLACE.latitude, ALMA_PLACE.longitude), 'a 5-character cell, cut on the phone');
  assert.deepEqual(sent.days, ['tue', 'sat', 'sun']);
  assert.deepEqual(sent.times, ['morning']);
  assert.equal(sent.radius_km, 25);
  assert.equal(sent.sports[0].sport, 'running');
  assert.ok(Math.abs(sent.sports[0].min_kmh - 9.23) < 0.01 && sent.sports[0].max_kmh === 12, JSON.stringify(sent.sports));
  // Nobody else looks yet.
  await a.page.getByTestId('deck-empty').getByText('No one new near you for now.', { exact: false }).waitFor();

  // Bruno, on his laptop: the finder from the menu, his profile's area as it is.
  const b = await newPage(browser, DESKTOP);
  b.page.on('pageerror', (error) => errors.push(`bruno: ${error.message}`));
  await logIn(b.page, server, bruno);
  await b.page.getByRole('heading', { name: 'Hello, Bruno Vale' }).waitFor();
  await b.page.getByRole('navigation', { name: 'Main' }).first().getByRole('link', { name: 'Partners' }).click();
  await b.page.getByRole('heading', { level: 1, name: 'Training partners' }).waitFor();
  // His form starts from his runs.
  await b.page.getByTestId('level-running').getByText('Suggested from your trainings of the last 90 days.').waitFor();
  assert.match(await b.page.getByTestId('level-running').getByLabel('Fastest (min/km)').inputValue(), /^\d:\d\d$/);
  await optIn(b.page, { fastest: '5:30', slowest: '7:00', days: ['Sat'], times: ['Morning', 'Evening'], radius: 30 });
  assert.ok(await b.page.getByRole('radio', { name: /My profile’s home area/ }).isChecked());
  await b.page.getByRole('button', { name: 'Start looking' }).click();

  // Alma is in his deck: the running they share at her pace, about how far, when.
  const card = b.page.getByTestId('candidate');
  await card.getByRole('heading', { name: 'Alma Strand' }).waitFor();
  await card.getByText(/^about \d+ km away$/).waitFor();
  await card.getByText('5:00–6:30 /km').waitFor();
  await card.getByText('Sat', { exact: true }).waitFor();
  await screenshots(b.page, 'partners-deck');
  const text = await card.innerText();
  assert.doesNotMatch(text, /[0-9bcdefghjkmnpqrstuvwxyz]{5}/, 'no cell on the card');

  // With the keys: a no, taken back with z, then a yes.
  await b.page.keyboard.press('ArrowLeft');
  await b.page.getByTestId('deck-empty').waitFor();
  await b.page.keyboard.press('z');
  await card.getByRole('heading', { name: 'Alma Strand' }).waitFor();
  await b.page.keyboard.press('ArrowRight');
  await b.page.getByTestId('deck-empty').waitFor();
  assert.equal((await api(server, '/api/v1/partners/matches', { token: bruno.token })).body.length, 0);

  // Alma looks again: Bruno. A short drag springs back; a long one to the right says yes.
  await a.page.getByRole('button', { name: 'Look again' }).click();
  const hisCard = a.page.getByTestId('candidate');
  await hisCard.getByRole('heading', { name: 'Bruno Vale' }).waitFor();
  await hisCard.getByText('5:30–7:00 /km').waitFor();
  await hisCard.getByText('Active recently').waitFor();
  await drag(a.page, hisCard, 40);
  await a.page.waitForTimeout(500);
  assert.match(await hisCard.evaluate((element) => getComputedStyle(element).transform), /^(none|matrix\(1, 0, 0, 1, 0, 0\))$/);
  const lift = await drag(a.page, hisCard, 70, { lift: false });
  // The card follows the finger (to the last move, once drawn) and leans.
  await hisCard.evaluate(
    (element) =>
      new Promise((resolve) => {
        const moved = () => Number(element.style.transform.match(/translate\(([\d.]+)px/)?.[1] ?? 0);
        const check = () => (moved() >= 69 ? resolve() : requestAnimationFrame(check));
        check();
      }),
  );
  const leaning = await hisCard.evaluate((element) => element.style.transform);
  const [, moved, turned] = leaning.match(/^translate\(([\d.]+)px, [\d.]+px\) rotate\(([\d.]+)deg\)$/) ?? [];
  assert.ok(Math.abs(moved - 70) <= 1 && turned > 4 && turned < 5, `leaning: ${leaning}`);
  // Held mid-drag: only at the phone's own size (a resize would move the finger).
  mkdirSync(SHOTS, { recursive: true });
  await a.page.screenshot({ path: join(SHOTS, 'partners-dragging-phone.png') });
  await lift();
  await a.page.waitForTimeout(400);
  await drag(a.page, hisCard, 180);

  // A match, told to both at once.
  const hers = a.page.getByTestId('match-dialog');
  await hers.getByText('You and Bruno Vale both want to train together.').waitFor();
  const his = b.page.getByTestId('match-dialog');
  await his.getByText('You and Alma Strand both want to train together.').waitFor();
  await screenshots(a.page, 'partners-match');
  const matches = await api(server, '/api/v1/partners/matches', { token: alma.token });
  assert.equal(matches.body.length, 1);
  const conversationId = matches.body[0].conversation_id;

  // Both open the conversation from the dialog.
  await hers.getByRole('button', { name: 'Send a message' }).click();
  await a.page.waitForURL(`**/chat/${conversationId}`);
  await his.getByRole('button', { name: 'Send a message' }).click();
  await b.page.waitForURL(`**/chat/${conversationId}`);
  await a.page.getByRole('heading', { level: 1, name: 'Bruno Vale' }).waitFor();
  await b.page.getByRole('heading', { level: 1, name: 'Alma Strand' }).waitFor();
  await b.page.getByText('Say hello to Alma Strand.').waitFor();

  // He starts typing: she sees it.
  const hisBox = b.page.getByLabel('Your message');
  await hisBox.pressSequentially('Hi Alma', { delay: 30 });
  await a.page.getByTestId('typing').getByText('Bruno Vale is typing…').waitFor();

  // She writes two lines (Shift+Enter) and sends with Enter: on his screen at once, read while open.
  const herBox = a.page.getByLabel('Your message');
  await herBox.pressSequentially('Saturday at 7 by the river?');
  await herBox.press('Shift+Enter');
  await herBox.pressSequentially('Route: https://example.org/river-loop.');
  await herBox.press('Enter');
  assert.equal(await herBox.inputValue(), '');
  const onHis = b.page.getByTestId('message').filter({ hasText: 'Saturday at 7 by the river?' });
  await onHis.waitFor();
  const link = onHis.getByRole('link', { name: 'https://example.org/river-loop' });
  assert.equal(await link.getAttribute('href'), 'https://example.org/river-loop');
  assert.equal(await link.getAttribute('rel'), 'noopener noreferrer nofollow');
  assert.equal(await link.getAttribute('target'), '_blank');
  const mine = a.page.getByTestId('message').filter({ hasText: 'Saturday at 7 by the river?' });
  await mine.locator('.receipt[data-state="read"]').waitFor();

  // His answer, sent with the button, arrives on her phone; the typing line is gone.
  await hisBox.fill('Hi Alma! Deal, see you there.');
  await b.page.getByRole('button', { name: 'Send', exact: true }).click();
  await a.page.getByTestId('message').filter({ hasText: 'Hi Alma! Deal, see you there.' }).waitFor();
  await a.page.getByTestId('typing').getByText('is typing').waitFor({ state: 'detached' });
  await b.page
    .getByTestId('message')
    .filter({ hasText: 'Deal, see you there.' })
    .locator('.receipt[data-state="read"]')
    .waitFor();
  await screenshots(a.page, 'chat-conversation', { fullPage: false });
  await screenshots(b.page, 'chat-conversation-laptop', { fullPage: false });

  // The server has both, newest first; the conversation list shows the last.
  const history = await api(server, `/api/v1/conversations/${conversationId}/messages`, { token: alma.token });
  assert.deepEqual(
    history.body.messages.map((m) => m.body),
    ['Hi Alma! Deal, see you there.', 'Saturday at 7 by the river?\nRoute: https://example.org/river-loop.'],
  );
  await a.page.getByRole('link', { name: 'Back to the messages' }).click();
  const listed = a.page.getByTestId('conversations').getByRole('link', { name: 'Bruno Vale' });
  await listed.getByText('Hi Alma! Deal, see you there.').waitFor();

  // A message while she is on the list: the unread count, at the top and on the conversation.
  await hisBox.fill('Bring water.');
  await hisBox.press('Enter');
  await a.page.getByRole('link', { name: 'Messages: 1 unread' }).waitFor();
  await a.page.getByRole('link', { name: 'Bruno Vale, 1 unread message' }).waitFor();
  await screenshots(a.page, 'chat-list');

  // Matches, with the way back to the conversation.
  await a.page.goto(`${server.url}/partners/matches`);
  await a.page.getByRole('heading', { level: 1, name: 'Your matches' }).waitFor();
  await a.page.getByTestId('matches').getByRole('link', { name: 'Bruno Vale' }).waitFor();
  await screenshots(a.page, 'partners-matches');
  assert.deepEqual(errors, []);
  await a.context.close();
  await b.context.close();
});

test('history goes back a page, messages are deleted and reported, an unmatch ends the conversation', async () => {
  const { server, browser } = shared;
  const carla = await person(server, 'carla', 'Carla Moss');
  const dario = await person(server, 'dario', 'Dario Reyes');
  const emil = await person(server, 'emil', 'Emil Ward');
  // Both ride on Sunday evenings, from the same part of town: opted in and matched through the API.
  const seeking = {
    sports: [{ sport: 'cycling', min_kmh: 22, max_kmh: 30 }],
    days: ['sun'],
    times: ['evening'],
    radius_km: 20,
    home_area: geohash(ALMA_PLACE.latitude, ALMA_PLACE.longitude),
  };
  for (const who of [carla, dario]) {
    assert.equal((await api(server, '/api/v1/partners/me', { method: 'PUT', token: who.token, body: seeking })).status, 200);
  }
  const swipe = (who, whom) =>
    api(server, '/api/v1/partners/swipes', { method: 'POST', token: who.token, body: { user_id: whom.id, yes: true } });
  assert.equal((await swipe(carla, dario)).body.matched, false);
  const matched = await swipe(dario, carla);
  assert.equal(matched.body.matched, true);
  const id = matched.body.match.conversation_id;
  // 55 messages, more than a page of 50 (each sends fewer than 30 a minute).
  for (let n = 1; n <= 55; n++) {
    const sent = await api(server, `/api/v1/conversations/${id}/messages`, {
      method: 'POST',
      token: n % 2 ? dario.token : carla.token,
      body: { client_id: `seed-${n}`, body: `Ride note ${n}` },
    });
    assert.equal(sent.status, 201);
  }
  const errors = [];

  // Carla, on her laptop, at the bottom of the history; older messages load as she scrolls up.
  const c = await newPage(browser, DESKTOP);
  c.page.on('pageerror', (error) => errors.push(`carla: ${error.message}`));
  await logIn(c.page, server, carla);
  await c.page.getByRole('heading', { name: 'Hello, Carla Moss' }).waitFor();
  await c.page.getByRole('link', { name: 'Messages: 28 unread' }).waitFor();
  await c.page.goto(`${server.url}/chat/${id}`);
  const log = c.page.getByTestId('chat-log');
  await log.getByText('Ride note 55', { exact: true }).waitFor();
  assert.equal(await log.getByText('Ride note 1', { exact: true }).count(), 0);
  await c.page.getByRole('link', { name: 'Messages', exact: true }).waitFor();
  await log.evaluate((element) => element.scrollTo(0, 0));
  await log.getByText('Ride note 1', { exact: true }).waitFor();
  assert.equal(await c.page.getByTestId('message').count(), 55);

  // Dario has it open on his phone.
  const d = await newPage(browser, PHONE);
  d.page.on('pageerror', (error) => errors.push(`dario: ${error.message}`));
  await logIn(d.page, server, dario);
  await d.page.getByRole('heading', { name: 'Hello, Dario Reyes' }).waitFor();
  await d.page.goto(`${server.url}/chat/${id}`);
  await d.page.getByTestId('chat-log').getByText('Ride note 55', { exact: true }).waitFor();

  // She sends one by mistake and deletes it: gone on both screens.
  await c.page.getByLabel('Your message').fill('Oops, that was for someone else');
  await c.page.getByLabel('Your message').press('Enter');
  const oops = (page) => page.getByTestId('message').filter({ hasText: 'Oops, that was for someone else' });
  await oops(d.page).waitFor();
  await oops(c.page).getByRole('button', { name: 'More for this message' }).click();
  await oops(c.page).getByRole('button', { name: 'Delete' }).click();
  const asked = c.page.getByRole('dialog', { name: 'Delete this message?' });
  await asked.getByRole('button', { name: 'Delete' }).click();
  await oops(d.page).waitFor({ state: 'detached' });
  await c.page.getByTestId('message').last().getByText('Message deleted').waitFor();
  await d.page.getByTestId('message').last().getByText('Message deleted').waitFor();

  // She reports one of his.
  const his = c.page.getByTestId('message').filter({ hasText: 'Ride note 53' });
  await his.getByRole('button', { name: 'More for this message' }).click();
  await his.getByRole('button', { name: 'Report' }).click();
  const report = c.page.getByRole('dialog', { name: 'Report a message from Dario Reyes' });
  await report.getByLabel('What is wrong?').selectOption('spam');
  await report.getByLabel('Details').fill('Testing the report');
  await report.getByRole('button', { name: 'Send the report' }).click();
  await report.getByText('Thank you.', { exact: false }).waitFor();
  await screenshots(c.page, 'chat-report', { fullPage: false });
  await report.getByRole('button', { name: 'Close' }).click();

  // Emil and she neither follow each other nor matched: his profile's Message button says why not.
  await c.page.goto(`${server.url}/people/${emil.id}`);
  await c.page.getByRole('heading', { level: 1, name: 'Emil Ward' }).waitFor();
  await c.page.getByRole('button', { name: 'Message' }).click();
  await c.page.getByRole('alert').getByText(/follow/).waitFor();
  assert.match(c.page.url(), /\/people\//);

  // She unmatches: the conversation ends on his open screen, which becomes read-only.
  await c.page.goto(`${server.url}/partners/matches`);
  await c.page.getByRole('button', { name: 'Unmatch Dario Reyes' }).click();
  await c.page.getByRole('dialog', { name: 'Unmatch Dario Reyes?' }).getByRole('button', { name: 'Unmatch' }).click();
  await c.page.getByText('No matches yet.', { exact: false }).waitFor();
  await d.page.getByTestId('chat-ended').waitFor();
  assert.equal(await d.page.getByLabel('Your message').count(), 0);
  await d.page.getByText('Ride note 54', { exact: true }).waitFor();
  await screenshots(d.page, 'chat-ended', { fullPage: false });

  // And she stops looking: the finder asks her to opt in again.
  await c.page.goto(`${server.url}/partners`);
  await c.page.getByRole('button', { name: 'My settings' }).click();
  await c.page.getByRole('button', { name: 'Stop looking for partners' }).click();
  await c.page.getByRole('dialog', { name: 'Stop looking for training partners?' })
    .getByRole('button', { name: 'Stop looking for partners' })
    .click();
  await c.page.getByRole('button', { name: 'Start looking' }).waitFor();
  assert.equal((await api(server, '/api/v1/partners/me', { token: carla.token })).body.opted_in, false);
  assert.deepEqual(errors, []);
  await c.context.close();
  await d.context.close();
});
