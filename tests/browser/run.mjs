// End-to-end tests of the web application in a real browser: the real binary makes a demo
// database, the real server serves it on 127.0.0.1, and Debian's chromium, driven by
// playwright-core, signs in through the real form as each demo account.
//
// Run: STEGVIS_BINARY=build/stegvis node --test tests/browser/run.mjs
// Needs: scripts/setup-browser (chromium, Node.js 20, node_modules from package-lock.json).
// Writes: screenshots and the axe results into <directory of STEGVIS_BINARY>/screenshots/,
// or into STEGVIS_SCREENSHOT_DIR when that is set.
//
// Every wait is bounded, and every request the browser makes goes to the server on
// 127.0.0.1: any other address is refused and fails the run.

import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';

import { chromium } from 'playwright-core';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const binary = path.resolve(process.env.STEGVIS_BINARY ?? path.join(repositoryRoot, 'build', 'stegvis'));
const screenshotDirectory = path.resolve(
  process.env.STEGVIS_SCREENSHOT_DIR ?? path.join(path.dirname(binary), 'screenshots'));
const axeScript = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const chromiumPath = process.env.STEGVIS_CHROMIUM ?? '/usr/bin/chromium';

const kPassword = 'stegvis-demo-2026';
// The demo accounts (src/cli/cli.cc, AddDemoAccounts), one per role.
const kAccounts = [
  { name: 'admin', role: 'systemadministrator' },
  { name: 'kansli.hoglandet', role: 'forbundsadministrator' },
  { name: 'coach.se', role: 'deltagaransvarig' },
  { name: 'styrelse.hoglandet', role: 'rapportlasare' },
  { name: 'nationell', role: 'nationell' },
];

// Time limits, in milliseconds.
const kCommandTimeout = 60_000;
const kServerStartTimeout = 15_000;
const kServerStopTimeout = 10_000;
const kActionTimeout = 10_000;
const kTestTimeout = 60_000;

// The flags Chromium needs on our development and CI machines: without the
// background-networking ones it tries to reach Google's hosts, which their closed network
// refuses. Playwright adds --headless itself (headless: true) and always starts Chromium with
// a new, empty --user-data-dir of its own that it removes afterwards; it refuses
// --user-data-dir in args.
const kChromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let workDirectory;
let server;           // { process, exited: Promise<{code, signal}>, output: string[] }
let baseUrl;          // http://127.0.0.1:PORT
let browser;
const foreignRequests = [];
const axeResults = {};

// Starts the server and resolves with its base URL once it printed the line with its port.
function startServer(database) {
  const child = spawn(binary, ['serve', '--db', database, '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = [];
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  server = { process: child, exited, output };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`the server printed no port within ${kServerStartTimeout} ms:\n${output.join('')}`));
    }, kServerStartTimeout);
    let pending = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.stdout.on('data', (chunk) => {
      output.push(chunk);
      pending += chunk;
      const match = pending.match(/lyssnar på (http:\/\/127\.0\.0\.1:(\d+))\//);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the server stopped at start (code ${code}, signal ${signal}):\n${output.join('')}`));
    });
  });
}

// A new browser context (its own cookies), with every request to another host refused.
async function newContext(options = {}) {
  const context = await browser.newContext({ locale: 'sv-SE', viewport: { width: 1280, height: 800 }, ...options });
  context.setDefaultTimeout(kActionTimeout);
  context.setDefaultNavigationTimeout(kActionTimeout);
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.protocol === 'data:') return route.continue();
    foreignRequests.push(url.href);
    return route.abort('blockedbyclient');
  });
  return context;
}

// Fills in and submits the sign-in form; resolves with the HTTP response to the POST.
async function submitSignIn(page, name, password, query = '') {
  await page.goto(`${baseUrl}/logga-in${query}`);
  await page.locator('#namn').fill(name);
  await page.locator('#losenord').fill(password);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/logga-in'),
    page.locator('main form button[type=submit]').click(),
  ]);
  await page.waitForLoadState('load');
  return response;
}

// Signs in and waits for the start page.
async function signIn(page, name, password = kPassword) {
  const response = await submitSignIn(page, name, password);
  assert.equal(response.status(), 303, `signing in as ${name} should redirect`);
  await page.waitForURL(`${baseUrl}/`);
}

async function screenshot(page, name) {
  await page.screenshot({ path: path.join(screenshotDirectory, `${name}.png`), fullPage: true });
}

// Runs axe-core on the page (axe must already be injected) and returns its violations.
async function runAxe(page, label) {
  const violations = await page.evaluate(async () => {
    const results = await window.axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  });
  axeResults[label] = violations;
  return violations;
}

function assertNoSeriousViolations(violations, label) {
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious, [], `${label}: axe found serious or critical violations`);
}

before(async () => {
  assert.ok(existsSync(binary), `no stegvis binary at ${binary}; build it or set STEGVIS_BINARY`);
  assert.ok(existsSync(chromiumPath), `no chromium at ${chromiumPath}; run scripts/setup-browser`);
  await mkdir(screenshotDirectory, { recursive: true });
  workDirectory = await mkdtemp(path.join(tmpdir(), 'stegvis-browser-'));
  const database = path.join(workDirectory, 'demo.db');
  await promisify(execFile)(binary, ['demo', '--db', database], { timeout: kCommandTimeout });
  baseUrl = await startServer(database);
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: kChromiumFlags,
    timeout: kServerStartTimeout,
  });
}, { timeout: kCommandTimeout + kServerStartTimeout * 2 });

after(async () => {
  await browser?.close();
  if (server && server.process.exitCode === null && server.process.signalCode === null) {
    server.process.kill('SIGKILL');  // Only when the graceful-shutdown test did not run.
  }
  await writeFile(path.join(screenshotDirectory, 'axe-results.json'), JSON.stringify(axeResults, null, 2));
  if (workDirectory) await rm(workDirectory, { recursive: true, force: true });
});

// A server left behind by a crash of this process would hold the port and the database.
process.on('exit', () => {
  if (server && server.process.exitCode === null) server.process.kill('SIGKILL');
});

describe('the web application in chromium', { timeout: 10 * kTestTimeout }, () => {
  test('the sign-in page shows the Swedish form', { timeout: kTestTimeout }, async () => {
    const context = await newContext();
    const page = await context.newPage();
    const response = await page.goto(`${baseUrl}/logga-in`);
    assert.equal(response.status(), 200);
    assert.equal(await page.getAttribute('html', 'lang'), 'sv');
    assert.equal(await page.locator('label[for=losenord]').textContent(), 'Lösenord');
    await screenshot(page, 'logga-in');
    await context.close();
  });

  test('the English sign-in page (?lang=en) shows "Password"', { timeout: kTestTimeout }, async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl}/logga-in?lang=en`);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.locator('label[for=losenord]').textContent(), 'Password');
    assert.equal(await page.locator('label[for=namn]').textContent(), 'User name');
    assert.equal(await page.locator('main form button[type=submit]').textContent(), 'Sign in');
    await screenshot(page, 'logga-in-en');
    await context.close();
  });

  for (const { name, role } of kAccounts) {
    test(`${name} (${role}) signs in through the form and sees the start page`, { timeout: kTestTimeout }, async () => {
      const context = await newContext();
      const page = await context.newPage();
      await signIn(page, name);
      assert.equal(await page.locator('h1').textContent(), 'Start');
      assert.equal(await page.locator('header .who').textContent(), `${name} (${role})`);
      assert.ok((await page.locator('main').textContent()).includes('Välkommen till stegvis.'));
      const cookies = await context.cookies();
      const session = cookies.find((cookie) => cookie.name === 'stegvis_session');
      assert.ok(session, 'the session cookie is set');
      assert.equal(session.httpOnly, true);
      assert.equal(session.sameSite, 'Strict');
      await screenshot(page, `start-${name}`);
      await context.close();
    });
  }

  test('the start page fits a phone screen', { timeout: kTestTimeout }, async () => {
    const context = await newContext({ viewport: { width: 375, height: 740 } });
    const page = await context.newPage();
    await signIn(page, 'kansli.hoglandet');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
    await screenshot(page, 'start-kansli.hoglandet-mobil');
    await context.close();
  });

  test('the start page lists the förbund under the heading "Förbund"', {
    timeout: kTestTimeout,
  }, async () => {
    const context = await newContext();
    const page = await context.newPage();
    await signIn(page, 'styrelse.hoglandet');
    // allTextContents does not wait for the heading, so the known failure costs no timeout.
    assert.deepEqual(await page.locator('main h2').allTextContents(), ['Förbund']);
    assert.equal(await page.locator('main ul li a').first().getAttribute('href'), '/forbund/hoglandet');
    await context.close();
  });

  test('a wrong password shows the Swedish error and stays on the sign-in page', { timeout: kTestTimeout }, async () => {
    const context = await newContext();
    const page = await context.newPage();
    const response = await submitSignIn(page, 'kansli.hoglandet', 'fel-losenord');
    assert.equal(response.status(), 401);
    assert.equal(new URL(page.url()).pathname, '/logga-in');
    assert.equal(await page.locator('main [role=alert]').textContent(), 'fel användarnamn eller lösenord');
    assert.equal(await page.locator('#namn').inputValue(), 'kansli.hoglandet', 'the name is kept');
    assert.equal(await page.locator('#losenord').inputValue(), '', 'the password is not sent back');
    assert.equal((await context.cookies()).find((c) => c.name === 'stegvis_session'), undefined);
    await screenshot(page, 'logga-in-fel');
    await context.close();
  });

  test('signing out with the button ends the session; / then leads to /logga-in', { timeout: kTestTimeout }, async () => {
    const context = await newContext();
    const page = await context.newPage();
    await signIn(page, 'coach.se');
    const token = (await context.cookies()).find((c) => c.name === 'stegvis_session').value;
    await Promise.all([
      page.waitForURL(`${baseUrl}/logga-in`),
      page.locator('header nav form button[type=submit]').click(),
    ]);
    assert.equal((await context.cookies()).find((c) => c.name === 'stegvis_session'), undefined,
      'the session cookie is removed');
    const response = await page.goto(`${baseUrl}/`);
    assert.equal(new URL(page.url()).pathname, '/logga-in');
    assert.equal(new URL(response.request().redirectedFrom().url()).pathname, '/');
    // The old token must be dead on the server too, not only forgotten by the browser.
    const replay = await context.request.get(`${baseUrl}/`, {
      headers: { Cookie: `stegvis_session=${token}` },
      maxRedirects: 0,
    });
    assert.equal(replay.status(), 303);
    assert.equal(replay.headers().location, '/logga-in');
    await context.close();
  });

  test('the Content-Security-Policy stops an injected inline script', { timeout: kTestTimeout }, async () => {
    // page.addScriptTag({path}) inserts the file's text as an inline <script>, which
    // script-src 'self' forbids. This is why the axe check below needs bypassCSP.
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl}/logga-in`);
    await assert.rejects(page.addScriptTag({ path: axeScript }));
    assert.equal(await page.evaluate(() => typeof window.axe), 'undefined');
    await context.close();
  });

  test('axe finds no serious or critical violation on /logga-in and each start page', { timeout: 3 * kTestTimeout }, async (t) => {
    // bypassCSP is set only for this test's context, so that axe can be injected with
    // addScriptTag (see the test above); every other test runs under the real policy.
    const check = async (page, label) => {
      await page.addScriptTag({ path: axeScript });
      const violations = await runAxe(page, label);
      for (const v of violations) {
        t.diagnostic(`${label}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target).join(', ')}`);
      }
      assertNoSeriousViolations(violations, label);
    };
    const signedOut = await newContext({ bypassCSP: true });
    const page = await signedOut.newPage();
    await page.goto(`${baseUrl}/logga-in`);
    await check(page, '/logga-in');
    await page.goto(`${baseUrl}/logga-in?lang=en`);
    await check(page, '/logga-in?lang=en');
    await signedOut.close();
    for (const { name } of kAccounts) {
      const context = await newContext({ bypassCSP: true });
      const rolePage = await context.newPage();
      await signIn(rolePage, name);
      await check(rolePage, `/ as ${name}`);
      await context.close();
    }
  });

  test('a coach gets 403 from the API of another förbund', { timeout: kTestTimeout }, async () => {
    const context = await newContext();
    const page = await context.newPage();
    await signIn(page, 'coach.se');
    const own = await page.goto(`${baseUrl}/api/v1/forbund/hoglandet`);
    assert.equal(own.status(), 200, 'the coach reads the plan of the own förbund');
    assert.equal((await own.json()).id, 'hoglandet');
    const other = await page.goto(`${baseUrl}/api/v1/forbund/sodra-vatterbygden`);
    assert.equal(other.status(), 403);
    const body = await other.json();
    assert.equal(body.fel.kod, 'PermissionDenied');
    assert.ok(!JSON.stringify(body).includes('Södra'), 'the refusal does not show the förbund');
    // A förbund that does not exist is refused the same way, so ids cannot be probed.
    const missing = await page.goto(`${baseUrl}/api/v1/forbund/finns-inte`);
    assert.equal(missing.status(), 403);
    assert.deepEqual(await missing.json(), body);
    await context.close();
  });

  test('an English sign-in keeps the pages that follow in English', {
    timeout: kTestTimeout,
  }, async () => {
    const context = await newContext();
    const page = await context.newPage();
    const response = await submitSignIn(page, 'styrelse.hoglandet', kPassword, '?lang=en');
    assert.equal(response.status(), 303);
    await page.waitForURL(`${baseUrl}/`);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.ok((await page.locator('main').textContent()).includes('Welcome to stegvis.'));
    await context.close();
  });

  // Last of the sign-in tests: it locks nationell out for the throttle window of this server.
  test('six wrong passwords, then the right one, give "för många misslyckade inloggningar"', { timeout: 2 * kTestTimeout }, async () => {
    const context = await newContext();
    const page = await context.newPage();
    const statuses = [];
    for (let attempt = 0; attempt < 6; ++attempt) {
      statuses.push((await submitSignIn(page, 'nationell', `fel-${attempt}`)).status());
    }
    // Five failures are allowed per account; from the sixth attempt on the account is throttled.
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
    const response = await submitSignIn(page, 'nationell', kPassword);
    assert.equal(response.status(), 429);
    assert.equal(new URL(page.url()).pathname, '/logga-in');
    const alert = await page.locator('main [role=alert]').textContent();
    assert.match(alert, /^för många misslyckade inloggningar; försök igen om \d+ minuter$/);
    assert.equal((await context.cookies()).find((c) => c.name === 'stegvis_session'), undefined);
    await screenshot(page, 'logga-in-sparrad');
    // The throttle is per account: another account on the same address still signs in.
    await signIn(page, 'admin');
    await context.close();
  });

  test('no request left 127.0.0.1', () => {
    assert.deepEqual(foreignRequests, []);
  });

  test('the server stops gracefully on SIGTERM and exits 0', { timeout: kTestTimeout }, async () => {
    server.process.kill('SIGTERM');
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the server did not stop within ${kServerStopTimeout} ms`)),
        kServerStopTimeout);
    });
    const { code, signal } = await Promise.race([server.exited, timeout]).finally(() => clearTimeout(timer));
    assert.equal(signal, null, 'the server ended by itself, not by the signal');
    assert.equal(code, 0, server.output.join(''));
    assert.match(server.output.join(''), /stegvis har stängt av\./);
    // The access log carries no personal data: no password, no account name.
    for (const secret of [kPassword, 'fel-0', ...kAccounts.map((account) => account.name)]) {
      assert.ok(!server.output.join('').includes(secret), `the server output contains "${secret}"`);
    }
  });
});
