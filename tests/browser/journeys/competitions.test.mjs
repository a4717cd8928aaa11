// An organiser and an athlete, two browsers: Olga (made an organiser with
// `athlos admin set-role`) sets up a competition through the form, after a
// field the server refused; Bruno finds it from the records page on his
// phone, joins with a new team, records a training through the API and sees
// himself on the board without reloading, as Olga does; she disqualifies his
// result (he is told why) and reinstates it. Then the teams and everyone's
// records.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { account, api, logIn, newPage, screenshots, serverAndBrowser, uploadFile } from './support.mjs';

const shared = serverAndBrowser();

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

/** Runs `athlos <args>` against the test server's folder and database, as an operator would. */
function athlos(server, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.env.TEST_ATHLOS_BIN, args, {
      cwd: server.folder,
      env: {
        ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ATHLOS_'))),
        ATHLOS_LOG: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`athlos ${args.join(' ')}: ${output}`))));
  });
}

/** `2026-12-01T08:00` for a datetime-local input, on the browsers' clock (Europe/Berlin). */
function berlinInput(date) {
  return date.toLocaleString('sv-SE', { timeZone: 'Europe/Berlin' }).replace(' ', 'T').slice(0, 16);
}

test('an organiser sets up a competition, another joins it and sees himself on the live board', async () => {
  const { server, browser } = shared;
  const olga = await person(server, 'olga', 'Olga Organiser');
  const bruno = await person(server, 'bruno', 'Bruno Vale');
  assert.match(await athlos(server, ['admin', 'set-role', '--email', olga.email, '--role', 'organiser']), /organiser/);
  const errors = [];

  // Olga, at desktop size: the competitions in the top bar, and the button only organisers have.
  const o = await newPage(browser, { width: 1280, height: 820 });
  o.page.on('pageerror', (error) => errors.push(error.message));
  await logIn(o.page, server, olga);
  await o.page.getByRole('heading', { name: 'Hello, Olga Organiser' }).waitFor();
  await o.page.getByRole('banner').getByRole('link', { name: 'Competitions' }).click();
  await o.page.getByRole('heading', { level: 1, name: 'Competitions' }).waitFor();
  await o.page.getByText('You have not entered any competition yet.').waitFor();
  await o.page.getByRole('link', { name: 'Create competition' }).click();
  await o.page.getByRole('heading', { level: 1, name: 'New competition' }).waitFor();

  // The browser's own check first, then the server's, each beside its field.
  const form = o.page.getByTestId('competition-form');
  await form.getByRole('button', { name: 'Create competition' }).click();
  await form.getByText('Give the competition a title of 1 to 120 characters.').waitFor();
  const title = 'Advent kilometres';
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Description').fill('Every kilometre you run in December counts. Bring friends!');
  assert.equal(await form.getByLabel('What counts').inputValue(), 'distance');
  assert.equal(await form.getByTestId('competition-sports').getByRole('checkbox', { name: 'Running', exact: true }).isChecked(), true);
  await form.getByLabel('Starts').fill(berlinInput(new Date(Date.now() - 2 * 3600_000)));
  await form.getByLabel('Ends').fill(berlinInput(new Date(Date.now() + 14 * 86_400_000)));
  await form.getByLabel('Time zone').fill('Not a zone!');
  await form.getByRole('button', { name: 'Create competition' }).click();
  const zoneError = form.getByRole('alert').filter({ hasText: 'time zone' });
  await zoneError.waitFor();
  assert.equal(await form.getByLabel('Time zone').getAttribute('aria-invalid'), 'true');
  await form.getByLabel('Time zone').fill('Europe/Berlin');
  // The effort's distance is asked for a fastest-effort competition only.
  await form.getByLabel('What counts').selectOption('fastest');
  await form.getByLabel('Distance').waitFor();
  await form.getByLabel('What counts').selectOption('distance');
  assert.equal(await form.getByLabel('Distance').count(), 0);
  await screenshots(o.page, 'competition-new');
  await form.getByRole('button', { name: 'Create competition' }).click();
  await o.page.getByRole('heading', { level: 1, name: title }).waitFor();
  const id = new URL(o.page.url()).pathname.split('/').pop();
  await o.page.getByTestId('competition-status').getByText('Running').waitFor();
  await o.page.getByTestId('competition-kind').getByText('Total distance').waitFor();
  await o.page.getByText('No results yet: a training counts as soon as it is saved.').waitFor();

  // Bruno, on his phone: no competitions tab there, the records page leads to them.
  const b = await newPage(browser);
  b.page.on('pageerror', (error) => errors.push(error.message));
  await logIn(b.page, server, bruno);
  await b.page.getByRole('heading', { name: 'Hello, Bruno Vale' }).waitFor();
  await b.page.getByRole('navigation', { name: 'Main' }).last().getByRole('link', { name: 'Records' }).click();
  await b.page.getByRole('heading', { level: 1, name: 'Personal records' }).waitFor();
  await b.page.getByRole('link', { name: 'Competitions' }).click();
  await b.page.getByRole('heading', { level: 1, name: 'Competitions' }).waitFor();
  assert.equal(await b.page.getByRole('link', { name: 'Create competition' }).count(), 0);
  assert.equal(await b.page.getByRole('button', { name: 'Organised' }).count(), 0);
  await b.page.getByRole('button', { name: 'Open', exact: true }).click();
  const listed = b.page.getByTestId('competitions').getByTestId('competition-item').filter({ hasText: title });
  await listed.getByText('0 entrants').waitFor();
  await screenshots(b.page, 'competition-list');
  await listed.getByRole('link').click();
  await b.page.getByRole('heading', { level: 1, name: title }).waitFor();

  // He joins with a team of his own, and asks to be told when overtaken.
  await b.page.getByRole('button', { name: 'Join', exact: true }).click();
  const dialog = b.page.getByRole('dialog', { name: `Join “${title}”` });
  await dialog.getByLabel('Team').selectOption({ label: 'A new team…' });
  await dialog.getByLabel('Name of the new team').fill('Night Owls');
  await dialog.getByLabel('Tell me when someone overtakes me at the top').check();
  await screenshots(b.page, 'competition-join', { fullPage: false });
  await dialog.getByRole('button', { name: 'Join', exact: true }).click();
  const entry = b.page.getByTestId('my-entry');
  await entry.getByText('Team Night Owls').waitFor();
  await entry.getByText('you are told when overtaken').waitFor();
  await entry.getByText('Your result shows once a training in the window counts.').waitFor();
  await b.page.getByTestId('competition-entrants').getByText('1 entrant').waitFor();
  await b.page.getByTestId('live').waitFor();

  // A training saved elsewhere (through the API) reaches both boards live.
  const saved = await api(server, '/api/v1/workouts', {
    method: 'POST',
    token: bruno.token,
    body: {
      sport: 'running',
      title: 'Dawn run',
      started_at: new Date(Date.now() - 40 * 60_000).toISOString(),
      duration_s: 1800,
      distance_m: 6000,
      privacy: 'public',
    },
  });
  assert.equal(saved.status, 201);
  const mine = b.page.getByTestId('board').getByTestId('standing').filter({ hasText: 'Bruno Vale' });
  await mine.getByText('6.00 km').waitFor();
  assert.equal(await mine.getAttribute('aria-current'), 'true');
  await mine.getByText('You · Night Owls').waitFor();
  await entry.getByTestId('my-score').getByText('6.00 km').waitFor();
  await entry.getByTestId('my-place').getByText('1').waitFor();
  await b.page.getByRole('heading', { name: 'You are in place 1' }).waitFor();
  await screenshots(b.page, 'competition-board');

  // The filters narrow the board (folded away on a phone): he said nothing of his sex, so
  // "Women" leaves no one.
  await b.page.getByTestId('filters-toggle').click();
  await b.page.getByLabel('Sex').selectOption('female');
  await b.page.getByText('No one here matches these filters.').waitFor();
  await b.page.getByTestId('filters-toggle').getByText('Filters (1)').waitFor();
  await screenshots(b.page, 'competition-filters');
  await b.page.getByLabel('Sex').selectOption('');
  await mine.waitFor();
  await b.page.getByRole('checkbox', { name: 'People I follow' }).check();
  await mine.waitFor();

  // The team board.
  await b.page.getByRole('button', { name: 'Teams' }).click();
  const team = b.page.getByTestId('teams').getByRole('listitem').filter({ hasText: 'Night Owls' });
  await team.getByText('1 member').waitFor();
  await team.getByText('6.00 km').waitFor();
  await screenshots(b.page, 'competition-teams');
  await b.page.getByRole('button', { name: 'Leaderboard' }).click();

  // Olga saw it arrive without reloading; she disqualifies the result, saying why.
  const line = o.page.getByTestId('board').getByTestId('standing').filter({ hasText: 'Bruno Vale' });
  await line.getByText('6.00 km').waitFor();
  await line.getByRole('button', { name: 'More for Bruno Vale' }).click();
  await line.getByRole('button', { name: 'Disqualify' }).click();
  const judging = o.page.getByRole('dialog', { name: 'Disqualify Bruno Vale?' });
  await judging.getByLabel('Why').fill('The run was logged by hand with no track.');
  await screenshots(o.page, 'competition-disqualify', { fullPage: false });
  await judging.getByRole('button', { name: 'Disqualify' }).click();
  await o.page.getByText('Bruno Vale was disqualified and left the board.').waitFor();
  await o.page.getByText('No results yet: a training counts as soon as it is saved.').waitFor();
  await screenshots(o.page, 'competition-organiser');

  // Bruno is told, on the page and on the bell.
  await b.page.getByText('The organiser disqualified your result: The run was logged by hand with no track.').waitFor();
  await b.page.getByTestId('bell').click();
  await b.page
    .getByTestId('notifications')
    .getByRole('link', {
      name: `Your result in “${title}” was disqualified: The run was logged by hand with no track. (unread)`,
    })
    .waitFor();
  await screenshots(b.page, 'competition-notifications');

  // Olga takes it back; his line returns.
  await o.page.getByRole('button', { name: 'Reinstate' }).click();
  await line.getByText('6.00 km').waitFor();
  await b.page
    .getByTestId('notifications')
    .getByRole('link', { name: `Your result in “${title}” was reinstated (unread)` })
    .click();
  await b.page.getByRole('heading', { level: 1, name: title }).waitFor();
  await b.page.getByTestId('board').getByTestId('standing').filter({ hasText: 'Bruno Vale' }).waitFor();

  // Everyone's records: a public track's fastest kilometre, from the records page.
  const uploaded = await uploadFile(server, bruno.token, 'gpx/cerknicko-jezero.gpx', {
    privacy: 'public',
    sport: 'running',
  });
  assert.equal(uploaded.status, 201);
  await b.page.getByRole('navigation', { name: 'Main' }).last().getByRole('link', { name: 'Records' }).click();
  await b.page.getByRole('link', { name: 'Everyone’s records' }).click();
  await b.page.getByRole('heading', { level: 1, name: 'Everyone’s records' }).waitFor();
  await b.page.getByRole('button', { name: '1 km', exact: true }).click();
  const record = b.page.getByTestId('leaderboard').getByTestId('standing').filter({ hasText: 'Bruno Vale' });
  for (let attempt = 0; attempt < 40 && (await record.count()) === 0; attempt++) {
    // The track is read a moment after the upload: ask again until its efforts are in.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await b.page.reload();
    await b.page.getByRole('button', { name: '1 km', exact: true }).click();
  }
  await record.waitFor();
  assert.equal(await record.getAttribute('aria-current'), 'true');
  await screenshots(b.page, 'competition-leaderboards');

  // As the server has it.
  const board = await api(server, `/api/v1/competitions/${id}/board`, { token: olga.token });
  assert.equal(board.body.items.length, 1);
  assert.equal(board.body.items[0].person.id, bruno.id);
  assert.equal(board.body.items[0].score, 6000);
  assert.deepEqual(errors, []);
  await o.context.close();
  await b.context.close();
});
