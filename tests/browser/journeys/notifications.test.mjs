// A notification arrives while the app is open, shows on the bell, and is read.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { account, api, logIn, newPage, screenshots, serverAndBrowser } from './support.mjs';

const shared = serverAndBrowser();

test('a notice arrives live on the bell and is marked read', async () => {
  const { server, browser } = shared;
  const person = await account(server, 'bell');
  const { context, page } = await newPage(browser);
  const ticket = page.waitForResponse((r) => r.url().endsWith('/api/v1/realtime/ticket') && r.status() === 201);
  await logIn(page, server, person);
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  await ticket;
  const bell = page.getByTestId('bell');
  assert.equal(await bell.getAttribute('aria-label'), 'Notifications');

  // An export asked for elsewhere (another device): its notice comes live.
  const asked = await api(server, '/api/v1/account/exports', { method: 'POST', body: {}, token: person.token });
  assert.equal(asked.status, 202);
  await page.getByRole('link', { name: 'Notifications: 1 unread' }).waitFor({ timeout: 30_000 });
  await screenshots(page, 'notifications-bell');

  await bell.click();
  await page.getByRole('heading', { name: 'Notifications' }).waitFor();
  await page.getByRole('button', { name: 'Your data export is ready (unread)' }).click();
  await page.getByRole('button', { name: 'Your data export is ready', exact: true }).waitFor();
  await page.getByRole('link', { name: 'Notifications', exact: true }).waitFor();
  await screenshots(page, 'notifications-list');
  const listed = await api(server, '/api/v1/notifications', { token: person.token });
  assert.equal(listed.body.unread, 0);
  await context.close();
});
