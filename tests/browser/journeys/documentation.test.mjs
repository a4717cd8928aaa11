// The API reference at /documentation: built with the web client, reading
// /openapi.json, with schemas opened, and "Try it out" sent with the login of
// the person using the app in this browser.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { account, DESKTOP, logIn, newPage, screenshots, serverAndBrowser } from './support.mjs';

const shared = serverAndBrowser();

test('the API reference lists the operations and tries one with the login of the app', async () => {
  const { server, browser } = shared;
  const person = await account(server, 'reference');
  const { page } = await newPage(browser, DESKTOP);
  await logIn(page, server, person);
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(error.message));
  const outside = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(server.url) && !request.url().startsWith('data:')) outside.push(request.url());
  });

  await page.goto(`${server.url}/documentation`);
  await page.getByRole('link', { name: 'Back to the app' }).waitFor();
  await page.getByText('You are logged in').waitFor();
  // Every tag is listed, closed; opening one shows its operations.
  await page.locator('.opblock-tag[data-tag="equipment"]').waitFor();
  await page.locator('.opblock-tag[data-tag="account"]').click();
  const operation = page.locator('.opblock').filter({ hasText: '/api/v1/account' }).filter({ hasText: 'GET' }).first();
  await operation.waitFor();
  await screenshots(page, 'documentation', { fullPage: false });

  // One operation opened: its answers with their schemas, $refs opened.
  await operation.locator('.opblock-summary').click();
  await operation.getByText('display_name').first().waitFor();
  await operation.getByRole('button', { name: 'Try it out' }).click();
  await operation.getByRole('button', { name: 'Execute' }).click();
  const live = operation.locator('.live-responses-table');
  await live.getByText(person.email).first().waitFor();
  await live.locator('.response-col_status').filter({ hasText: '200' }).first().waitFor();
  await screenshots(page, 'documentation-try', { fullPage: false, locator: operation });

  // The way back.
  await page.getByRole('link', { name: 'Back to the app' }).click();
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  assert.deepEqual(outside, [], 'nothing is fetched from elsewhere');
  assert.deepEqual(errors, []);
});
