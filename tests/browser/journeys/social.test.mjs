// Two people, two browsers: Alma makes a public training; Bruno finds her,
// follows her, sees the training in his feed, gives kudos and comments
// (mentioning her); Alma, with the training open, sees the comment and the
// notices arrive without reloading.
import assert from 'node:assert/strict';
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

test('one follows another, sees her training in the feed, and she hears of his kudos and comment live', async () => {
  const { server, browser } = shared;
  const alma = await person(server, 'alma', 'Alma Strand');
  const bruno = await person(server, 'bruno', 'Bruno Vale');
  const title = 'Lakeside loop';
  const uploaded = await uploadFile(server, alma.token, 'gpx/cerknicko-jezero.gpx', { title, privacy: 'public' });
  assert.equal(uploaded.status, 201);
  const workoutId = uploaded.body.id;

  // Alma keeps her training open; her socket is live once its ticket is issued.
  const a = await newPage(browser);
  const errors = [];
  a.page.on('pageerror', (error) => errors.push(error.message));
  const ticket = a.page.waitForResponse((r) => r.url().endsWith('/api/v1/realtime/ticket') && r.status() === 201);
  await logIn(a.page, server, alma);
  await a.page.getByRole('heading', { name: 'Hello, Alma Strand' }).waitFor();
  await ticket;
  await a.page.goto(`${server.url}/workouts/${workoutId}`);
  await a.page.getByRole('heading', { level: 1, name: title }).waitFor();
  await a.page.getByTestId('distance').waitFor();
  await a.page.getByText('No comments yet.').waitFor();

  // Bruno follows nobody: his home offers to find people.
  const b = await newPage(browser);
  b.page.on('pageerror', (error) => errors.push(error.message));
  await logIn(b.page, server, bruno);
  await b.page.getByRole('heading', { name: 'Hello, Bruno Vale' }).waitFor();
  await b.page.getByRole('heading', { name: 'Find people' }).waitFor();

  // He looks for her from the search at the top, and opens her profile.
  await b.page.getByRole('banner').getByRole('link', { name: 'Find people' }).click();
  await b.page.getByRole('heading', { level: 1, name: 'Find people' }).waitFor();
  await b.page.getByLabel('Name to look for').fill('Alma');
  await b.page.getByRole('button', { name: 'Search' }).click();
  await b.page.getByTestId('people-found').getByRole('link', { name: 'Alma Strand' }).click();
  await b.page.getByRole('heading', { level: 1, name: 'Alma Strand' }).waitFor();
  await b.page.getByText('0 followers').waitFor();

  await b.page.getByRole('button', { name: 'Follow', exact: true }).click();
  await b.page.getByRole('button', { name: 'Following' }).waitFor();
  await b.page.getByText('1 follower', { exact: true }).waitFor();
  await b.page.getByTestId('feed-entry').getByRole('link', { name: title }).waitFor();
  // Her records from the public training, each a link to it.
  await b.page.getByRole('heading', { name: 'Records' }).waitFor();
  const fastestKilometre = b.page.getByRole('row', { name: /^1 km/ }).getByRole('link');
  assert.equal(await fastestKilometre.getAttribute('href'), `/workouts/${workoutId}`);
  await screenshots(b.page, 'social-profile');

  // Her training is in his feed, now his home.
  await b.page.getByRole('banner').getByRole('link', { name: 'Athlos' }).click();
  const entry = b.page.getByTestId('feed').getByTestId('feed-entry').filter({ hasText: title });
  await entry.getByRole('link', { name: 'Alma Strand' }).waitFor();
  await entry.locator('svg.route-sketch polyline').first().waitFor();
  await entry.getByText('Distance').waitFor();
  await screenshots(b.page, 'social-feed');

  // Kudos at once, before the server answers, and still there after.
  const kudos = entry.getByRole('button', { name: 'Kudos: 0' });
  await kudos.click();
  await entry.getByRole('button', { name: 'Kudos: 1', pressed: true }).waitFor();

  // A comment that mentions her, picked from the people he follows.
  await entry.getByRole('link', { name: title }).click();
  await b.page.getByRole('heading', { level: 1, name: title }).waitFor();
  await b.page.getByRole('button', { name: 'Kudos: 1', pressed: true }).waitFor();
  const box = b.page.getByRole('combobox', { name: 'Your comment' });
  await box.fill('Lovely route, ');
  await box.pressSequentially('@Al');
  await b.page.getByRole('option', { name: 'Alma Strand' }).waitFor();
  await box.press('Enter');
  await box.pressSequentially('see you at the lake!');
  assert.equal(await box.inputValue(), 'Lovely route, @Alma Strand see you at the lake!');
  await b.page.getByRole('button', { name: 'Post' }).click();
  const comments = b.page.getByTestId('comments');
  await comments.getByText('Lovely route, @Alma Strand see you at the lake!').waitFor();
  assert.equal(await box.inputValue(), '');
  await screenshots(b.page, 'social-comments', {
    fullPage: false,
    locator: b.page.getByRole('heading', { name: '1 comment' }),
  });

  // Alma, without reloading: the comment under her training, and the notices on the bell
  // (his follow, his kudos, his comment).
  await a.page.getByTestId('comments').getByText('Lovely route, @Alma Strand see you at the lake!').waitFor();
  await a.page.getByRole('link', { name: 'Notifications: 3 unread' }).waitFor();
  await a.page.getByTestId('bell').click();
  const notices = a.page.getByTestId('notifications');
  await notices.getByRole('link', { name: `Bruno Vale commented on “${title}” (unread)` }).waitFor();
  await notices.getByRole('link', { name: `Bruno Vale gave kudos to “${title}” (unread)` }).waitFor();
  await notices.getByRole('link', { name: 'Bruno Vale started following you (unread)' }).waitFor();
  await screenshots(a.page, 'social-notifications');
  await notices.getByRole('link', { name: `Bruno Vale commented on “${title}” (unread)` }).click();
  await a.page.getByRole('heading', { level: 1, name: title }).waitFor();
  await a.page.getByRole('link', { name: 'Notifications: 2 unread' }).waitFor();

  // As the server has it.
  const listed = await api(server, `/api/v1/reactions/${workoutId}/comments`, { token: alma.token });
  assert.equal(listed.body.length, 1);
  assert.equal(listed.body[0].author.id, bruno.id);
  const feed = await api(server, '/api/v1/feed', { token: bruno.token });
  assert.equal(feed.body.items[0].kudos, 1);
  assert.equal(feed.body.items[0].comments, 1);
  assert.deepEqual(errors, []);
  await a.context.close();
  await b.context.close();
});
