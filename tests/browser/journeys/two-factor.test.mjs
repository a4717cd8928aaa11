// Turn on two-factor authentication with the QR code's secret, then log in with a code.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { account, api, logIn, newPage, screenshots, totp, serverAndBrowser } from './support.mjs';

const shared = serverAndBrowser();

test('a person enables 2FA in the settings and then logs in with a code', async () => {
  const { server, browser } = shared;
  const person = await account(server, 'grace');
  const { page } = await newPage(browser);
  await logIn(page, server, person);
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  await page.goto(`${server.url}/settings`);

  const section = page.getByTestId('two-factor');
  await section.getByRole('button', { name: 'Turn on' }).click();
  await section.getByRole('img', { name: 'QR code for the authenticator app' }).waitFor();
  const secret = (await page.getByTestId('totp-secret').textContent()).trim();
  await screenshots(page, 'settings-2fa-qr');

  // A wrong code is refused beside the field, and 2FA stays off.
  await section.getByLabel('Code from your authenticator app').fill('000000');
  await section.getByRole('button', { name: 'Confirm' }).click();
  await section.getByRole('alert').waitFor();
  let me = await api(server, '/api/v1/account', { token: person.token });
  assert.equal(me.body.two_factor_enabled, false);

  await section.getByLabel('Code from your authenticator app').fill(totp(secret));
  await section.getByRole('button', { name: 'Confirm' }).click();
  const codes = page.getByTestId('recovery-codes');
  await codes.waitFor();
  assert.equal((await codes.locator('span').allTextContents()).length, 10);
  await screenshots(page, 'settings-2fa-recovery');
  me = await api(server, '/api/v1/account', { token: person.token });
  assert.equal(me.body.two_factor_enabled, true);

  await page.getByRole('button', { name: 'Log out', exact: true }).last().click();
  await page.waitForURL(/\/login/);
  await logIn(page, server, person);
  await page.getByRole('heading', { name: 'Second step' }).waitFor();
  await screenshots(page, 'login-second-step');
  // Each 30-second step works once: the enrolment spent this one, so the
  // login uses the next (the server accepts one step either side).
  await page.getByLabel('Code from your authenticator app').fill(totp(secret, 1));
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
});
