// Sign up → the verification mail in the outbox → its link → log in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  account,
  api,
  logIn,
  mailMatching,
  newPage,
  screenshots,
  serverAndBrowser,
  uniqueEmail,
} from './support.mjs';

const shared = serverAndBrowser();

test('a new person signs up, confirms the address from the mail and logs in', async () => {
  const { server, browser } = shared;
  const { page } = await newPage(browser);
  const email = uniqueEmail('ada');
  await page.goto(server.url);
  // Not logged in: the app sends the visitor to the login screen.
  await page.waitForURL(/\/login/);
  await screenshots(page, 'login');
  await page.getByRole('link', { name: 'Sign up' }).click();

  // A password that is too short is caught beside its field; nothing is sent.
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Name').fill('Ada Runner');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByText('Use at least 10 characters.').waitFor();
  assert.equal(await page.getByLabel('Password').getAttribute('aria-invalid'), 'true');
  assert.equal(server.mails().length, 0, 'no mail for a refused form');
  await screenshots(page, 'signup-error');

  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('heading', { name: 'Check your mail' }).waitFor();

  const [link] = await mailMatching(server, new RegExp(`https?://[^\\s"<>]+/verify-email\\?token=[A-Za-z0-9_-]+`));
  assert.ok(link.startsWith(server.url), `the mail links to this server: ${link}`);
  await page.goto(link);
  await page.getByText('Your e-mail address is confirmed.').waitFor();
  await screenshots(page, 'verified');

  // The same link a second time is refused in words, not with a blank page.
  const again = await (await browser.newContext()).newPage();
  await again.goto(link);
  await again.getByRole('alert').waitFor();
  await again.close();

  // A wrong password reads as such, beside nothing leaking which part was wrong.
  await logIn(page, server, { email, password: 'wrong password!' });
  await page.getByText(/e-mail address or the password is wrong|invalid|wrong/i).first().waitFor();
  await logIn(page, server, { email, password: 'correct horse battery' });
  await page.getByRole('heading', { name: 'Hello, Ada Runner' }).waitFor();
  await screenshots(page, 'home-empty');

  // Every string goes through the translations: the same screen in Russian.
  await page.goto(`${server.url}/settings`);
  await page.getByLabel('Language').selectOption('ru');
  await page.getByRole('heading', { name: 'Настройки' }).waitFor();
  await page.getByRole('link', { name: 'Главная' }).first().click();
  await page.getByRole('heading', { name: 'Привет, Ada Runner' }).waitFor();
  await screenshots(page, 'home-empty-ru');

  const me = await api(server, '/api/v1/auth/login', {
    method: 'POST',
    body: { email, password: 'correct horse battery' },
  });
  const account = await api(server, '/api/v1/account', { token: me.body.access_token });
  assert.equal(account.body.email_verified, true);
});

test('a page left while its login is being refreshed leaves the person logged in', async () => {
  const { server, browser } = shared;
  const person = await account(server, 'reload');
  const { page } = await newPage(browser);
  await logIn(page, server, person);
  await page.getByRole('heading', { name: /Hello/ }).waitFor();

  // A new page has no access token yet and refreshes. The server trades the
  // token, but the answer never reaches the page: it is left mid-flight.
  let traded;
  const lost = new Promise((resolve) => {
    page.route('**/api/v1/auth/refresh', async (route) => {
      traded = await route.fetch();
      resolve();
    });
  });
  await page.goto(`${server.url}/records`);
  await lost;
  assert.equal(traded.status(), 200);
  await page.unroute('**/api/v1/auth/refresh');

  // The next page sends the same, spent token: it still logs in.
  await page.goto(`${server.url}/settings`);
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
  assert.ok(!page.url().includes('/login'), page.url());
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
});
