// End-to-end tests of the web application in a real browser: the real binary makes a demo
// database, the real server serves it on 127.0.0.1, and Debian's chromium, driven by
// playwright-core, signs in through the real form as each demo account.
//
// Run: STEGVIS_BINARY=build/stegvis node --test tests/browser/run.mjs
// Needs: scripts/setup-browser (chromium, Node.js 20, node_modules from package-lock.json),
// and the sqlite3 program (scripts/setup) to look up ids in the test's database.
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
// A throwaway account that `before` adds with the CLI, so that the password-change test
// changes no demo account's password.
const kThrowaway = {
  name: 'test.losenordsbyte',
  role: 'rapportlasare',
  password: 'engangslosenord-forsta-2026',
  newPassword: 'engangslosenord-andra-2026',
};

// The pages of the coach's intervention (the demo's SE-Höglandet in Höglandet).
const kParticipants = '/forbund/hoglandet/insatser/se-hoglandet/deltagare';
const kRegistration = `${kParticipants}/ny`;
const kRecordPath = /^\/forbund\/hoglandet\/deltagare\/(\d+)$/;

// A made-up personnummer: a 1990s birth date, a serial and the Luhn check digit, computed
// here. Returns the notations a page could show it in; none may ever appear on a page.
function testPersonnummer(year, month, day, serial) {
  const two = (n) => String(n).padStart(2, '0');
  const nine = `${two(year % 100)}${two(month)}${two(day)}${String(serial).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < nine.length; ++i) {
    const product = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    sum += product > 9 ? product - 9 : product;
  }
  const ten = `${nine}${(10 - (sum % 10)) % 10}`;
  const century = String(year).slice(0, 2);
  return {
    twelve: `${century}${ten}`,
    notations: [`${century}${ten}`, ten, `${ten.slice(0, 6)}-${ten.slice(6)}`,
      `${century}${ten.slice(0, 6)}-${ten.slice(6)}`, `${ten.slice(0, 6)}+${ten.slice(6)}`],
  };
}
const kRegisteredPerson = testPersonnummer(1994, 7, 13, 982);
const kRejectedPerson = testPersonnummer(1996, 3, 21, 457);

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
let database;         // The demo database the server serves.
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

// A new context signed in as the demo account, on the start page. The first call per account
// signs in through the form; later calls reuse that session's cookie, which saves the
// sign-in (the server's password hashing) in the tests that are not about signing in.
const storedSessions = new Map();
async function openSignedIn(name, options = {}) {
  const stored = storedSessions.get(name);
  const context = await newContext(stored ? { ...options, storageState: stored } : options);
  const page = await context.newPage();
  if (stored) {
    await page.goto(`${baseUrl}/`);
    assert.equal(page.url(), `${baseUrl}/`, `the stored session of ${name} is still valid`);
  } else {
    await signIn(page, name);
    storedSessions.set(name, await context.storageState());
  }
  return { context, page };
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

// Injects axe into the page (its context needs bypassCSP), runs it, reports every violation
// as a diagnostic of the test t, and fails on a serious or critical one.
async function checkAccessibility(t, page, label) {
  await page.addScriptTag({ path: axeScript });
  const violations = await runAxe(page, label);
  for (const v of violations) {
    t.diagnostic(`${label}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target).join(', ')}`);
  }
  assertNoSeriousViolations(violations, label);
}

// One read-only query of the test's database with the sqlite3 program; returns its output.
async function queryDatabase(sql) {
  const { stdout } = await promisify(execFile)('sqlite3', ['-readonly', database, sql], { timeout: kCommandTimeout });
  return stdout.trim();
}

// The UTC date (the server's "today") as ÅÅÅÅ-MM-DD.
function todayOnServer() {
  return new Date().toISOString().slice(0, 10);
}

// Clicks a submit button and resolves with the response to the POST to pathname, after
// the page that follows it (a redirect's target or the re-rendered form) has loaded.
async function submitForm(page, button, pathname) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === pathname),
    page.waitForEvent('framenavigated', (frame) => frame === page.mainFrame()),
    button.click(),
  ]);
  await page.waitForLoadState('load');
  return response;
}

// The page's HTML contains the personnummer in none of its notations.
async function assertNoPersonnummer(page, person, where) {
  const html = await page.content();
  for (const notation of person.notations) {
    assert.ok(!html.includes(notation), `${where} shows the personnummer as ${notation}`);
    assert.ok(!page.url().includes(notation), `${where}: the address carries the personnummer as ${notation}`);
  }
}

// The coach's deltagare report of the year for SE-Höglandet, in the view with record
// access: the row "SE-Höglandet" as numbers by column heading.
async function readParticipantReport(page, year) {
  const response = await page.goto(`${baseUrl}/forbund/hoglandet/rapporter/deltagare?ar=${year}&insats=se-hoglandet`);
  assert.equal(response.status(), 200);
  assert.equal(await page.locator('#rapport p.view').textContent(), 'Vy med uppgifter för din insats.');
  const row = await page.locator('#rapport table').evaluate((table) => {
    const headings = [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim());
    const tr = [...table.querySelectorAll('tbody tr')]
      .find((r) => r.querySelector('th[scope=row]')?.textContent.trim() === 'SE-Höglandet');
    if (!tr) return null;
    const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent);
    return Object.fromEntries(headings.slice(1).map((heading, i) => [heading, cells[i]]));
  });
  assert.ok(row, 'the report has the row SE-Höglandet');
  const counts = {};
  for (const [heading, text] of Object.entries(row)) {
    const digits = (text ?? '').replace(/\s/g, '');
    assert.match(digits, /^\d+$/, `the cell ${heading} holds a count, not "${text}"`);
    counts[heading] = Number(digits);
  }
  return counts;
}

// The rows of the report table on the page: the row heading to its cells' text and title
// (the title of the cell or of the element in it).
async function readReportRows(page) {
  return page.locator('#rapport table tbody').evaluate((tbody) => Object.fromEntries(
    [...tbody.rows].map((row) => [row.querySelector('th')?.textContent.trim(), [...row.querySelectorAll('td')].map(
      (td) => ({ text: td.textContent.trim(), title: td.title || td.querySelector('[title]')?.title || '' }))])));
}

// The numbers in the list's summary line ("Pågående: N. Visas: A–B av M." or "Visas: 0 av
// M."): ongoing N, and M enrolments the filter selects over all pages.
async function readListSummary(page) {
  const text = await page.locator('#deltagarlista > p').first().textContent();
  const match = text.match(/^Pågående: (\d+)\. Visas: (?:\d+–\d+|0) av (\d+)\.$/);
  assert.ok(match, `the list's summary line: "${text}"`);
  return { ongoing: Number(match[1]), shown: Number(match[2]) };
}

before(async () => {
  assert.ok(existsSync(binary), `no stegvis binary at ${binary}; build it or set STEGVIS_BINARY`);
  assert.ok(existsSync(chromiumPath), `no chromium at ${chromiumPath}; run scripts/setup-browser`);
  await mkdir(screenshotDirectory, { recursive: true });
  workDirectory = await mkdtemp(path.join(tmpdir(), 'stegvis-browser-'));
  database = path.join(workDirectory, 'demo.db');
  await promisify(execFile)(binary, ['demo', '--db', database], { timeout: kCommandTimeout });
  // The throwaway account, before the server starts; its password goes in on standard input.
  const adding = promisify(execFile)(binary, ['user', 'add', '--db', database, '--namn', kThrowaway.name,
    '--roll', kThrowaway.role, '--forbund', 'hoglandet', '--losenord-stdin'], { timeout: kCommandTimeout });
  adding.child.stdin.end(`${kThrowaway.password}\n`);
  await adding;
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
    // bypassCSP is set only for the axe tests' contexts, so that axe can be injected with
    // addScriptTag (see the test above); every other test runs under the real policy.
    const check = (page, label) => checkAccessibility(t, page, label);
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

  test('a coach registers a participant, a measurement and an exit; the report counts each', {
    timeout: 2 * kTestTimeout,
  }, async () => {
    const person = kRegisteredPerson;
    const today = todayOnServer();
    const year = today.slice(0, 4);
    const { context, page } = await openSignedIn('coach.se');
    const before = await readParticipantReport(page, year);
    const changes = (from, to) => Object.fromEntries(
      Object.keys(to).map((key) => [key, to[key] - from[key]]).filter(([, change]) => change !== 0));
    const readFacts = () => page.locator('main dl').evaluate((dl) => Object.fromEntries(
      [...dl.querySelectorAll('dt')].map((dt) => [dt.textContent, dt.nextElementSibling.textContent])));
    const readMeasurements = () => page.locator('main table tbody tr')
      .evaluateAll((rows) => rows.map((row) => [...row.cells].map((cell) => cell.textContent)));

    // The coach starts from the link under "Mina insatser" on the start page.
    await page.goto(`${baseUrl}/`);
    await Promise.all([
      page.waitForURL(`${baseUrl}${kRegistration}`),
      page.locator(`main a[href="${kRegistration}"]`).first().click(),
    ]);
    assert.equal(await page.locator('h1').textContent(), 'Registrera deltagare — SE-Höglandet');
    assert.equal(await page.locator('#ny-startdatum').inputValue(), today, 'the start date is today by default');
    await page.locator('#ny-samtycke').selectOption('ja');
    await page.locator('#ny-kon').selectOption('kvinna');
    await page.locator('#ny-steg_start').selectOption('2');
    await page.locator('input[name=forsorjning_start][value=sjukpenning]').check();
    await screenshot(page, 'deltagare-ny');  // Before the identifier is typed: no screenshot shows it.
    await page.locator('#ny-deltagare').fill(person.twelve);
    const registered = await submitForm(page, page.locator('main form button[type=submit]'), kParticipants);
    assert.equal(registered.status(), 303);
    await page.waitForURL((url) => kRecordPath.test(url.pathname) && url.searchParams.get('sparat') === 'ny');
    const id = new URL(page.url()).pathname.match(kRecordPath)[1];
    const record = `/forbund/hoglandet/deltagare/${id}`;
    assert.equal(await page.locator('h1').textContent(), `Inskrivning ${id}`);
    assert.equal(await page.locator('main [role=status]').textContent(), 'Deltagaren är registrerad.');
    const facts = await readFacts();
    assert.equal(facts['Kön'], 'Kvinna');
    assert.equal(facts['Födelseår'], '1994', 'the birth year comes from the personnummer');
    assert.equal(facts['Startdatum'], today);
    assert.equal(facts['Försörjning vid start'], 'Sjukpenning');
    assert.equal(facts['Status'], 'Pågår');
    await assertNoPersonnummer(page, person, 'the new record');
    const registeredReport = await readParticipantReport(page, year);
    assert.deepEqual(changes(before, registeredReport), { Deltagare: 1, Kvinnor: 1, Nya: 1 });

    await page.goto(`${baseUrl}${record}`);
    assert.equal(await page.locator('#matningar-datum').inputValue(), today);
    await page.locator('#matningar-matt').selectOption('steg');
    await page.locator('#matningar-varde').fill('4');
    const measured = await submitForm(page, page.getByRole('button', { name: 'Spara mätningen' }), `${record}/matningar`);
    assert.equal(measured.status(), 303);
    await page.waitForURL((url) => url.pathname === record && url.searchParams.get('sparat') === 'matningar');
    assert.equal(await page.locator('main [role=status]').textContent(), 'Mätningen är sparad.');
    assert.ok((await readMeasurements()).some((row) => row.join('|') === `${today}|Steg på trappan|4`),
      'the measurements table shows steg 4 of today');

    assert.equal(await page.locator('#avslut-slutdatum').inputValue(), today);
    await page.locator('#avslut-avslutsorsak').selectOption('arbete');
    await page.locator('#avslut-steg_slut').selectOption('6');
    const ended = await submitForm(page, page.getByRole('button', { name: 'Spara avslutet' }), `${record}/avslut`);
    assert.equal(ended.status(), 303);
    await page.waitForURL((url) => url.pathname === record && url.searchParams.get('sparat') === 'avslut');
    assert.equal(await page.locator('main [role=status]').textContent(), 'Avslutet är sparat.');
    assert.equal((await readFacts())['Status'], `Avslutad ${today} (Arbete)`);
    assert.equal(await page.locator('#avslut-slutdatum').count(), 0, 'no exit form after the exit');
    assert.equal(await page.locator('#uppfoljningar-sysselsattning').count(), 1, 'the follow-up form instead');
    await assertNoPersonnummer(page, person, 'the record after the exit');
    await screenshot(page, 'deltagare-post');
    const endedReport = await readParticipantReport(page, year);
    assert.deepEqual(changes(registeredReport, endedReport), { Avslutade: 1, Arbete: 1 });
    await assertNoPersonnummer(page, person, 'the report');

    await page.goto(`${baseUrl}${kParticipants}?status=alla`);
    assert.equal(await page.locator(`#deltagarlista a[href="${record}"]`).count(), 1, 'the list links the record');
    await assertNoPersonnummer(page, person, 'the list');
    await screenshot(page, 'deltagare-lista');
    // Found again by another notation of the same personnummer.
    await page.locator('#sok-deltagare').fill(person.notations[2]);
    const found = await submitForm(page, page.getByRole('button', { name: 'Sök' }), `${kParticipants}/sok`);
    assert.equal(found.status(), 303);
    await page.waitForURL(`${baseUrl}${record}`);
    await assertNoPersonnummer(page, person, 'the record found by the search');
    await context.close();
  });

  test('a bad start date shows the error beside the field, drops the identifier and registers nobody', {
    timeout: kTestTimeout,
  }, async () => {
    const person = kRejectedPerson;
    const { context, page } = await openSignedIn('coach.se');
    await page.goto(`${baseUrl}${kParticipants}?status=alla`);
    const before = await readListSummary(page);

    await page.goto(`${baseUrl}${kRegistration}`);
    await page.locator('#ny-samtycke').selectOption('ja');
    await page.locator('#ny-deltagare').fill(person.twelve);
    await page.locator('#ny-kon').selectOption('man');
    // A date input takes no impossible date, so the field becomes a text field first, as
    // in a browser without a date picker.
    await page.locator('#ny-startdatum').evaluate((input) => { input.type = 'text'; });
    await page.locator('#ny-startdatum').fill('2026-02-30');
    const rejected = await submitForm(page, page.locator('main form button[type=submit]'), kParticipants);
    assert.equal(rejected.status(), 400);
    assert.equal(new URL(page.url()).pathname, kParticipants);
    const error = page.locator('.field:has(#ny-startdatum) > #ny-startdatum-fel');
    assert.ok(await error.isVisible(), 'the error stands beside the start date');
    assert.equal(await error.getAttribute('role'), 'alert');
    assert.match(await error.textContent(), /datum/);
    assert.equal(await page.locator('main [role=alert]').count(), 1, 'only the start date is wrong');
    const field = page.locator('#ny-startdatum');
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.ok((await field.getAttribute('aria-describedby')).split(' ').includes('ny-startdatum-fel'));
    assert.equal(await page.locator('#ny-deltagare').inputValue(), '', 'the identifier is not sent back');
    assert.equal(await page.locator('#ny-samtycke').inputValue(), 'ja', 'the other choices are kept');
    assert.equal(await page.locator('#ny-kon').inputValue(), 'man');
    await assertNoPersonnummer(page, person, 'the form with the error');
    await screenshot(page, 'deltagare-ny-fel');

    // A personnummer typed into another field is not sent back either.
    await page.locator('#ny-startdatum').fill(todayOnServer());
    await page.locator('#ny-fodelsear').fill(person.notations[2]);
    const again = await submitForm(page, page.locator('main form button[type=submit]'), kParticipants);
    assert.equal(again.status(), 400, 'without the identifier the form is refused again');
    await assertNoPersonnummer(page, person, 'the form sent back a second time');

    await page.goto(`${baseUrl}${kParticipants}?status=alla`);
    assert.deepEqual(await readListSummary(page), before, 'nobody was registered');
    await page.locator('#sok-deltagare').fill(person.twelve);
    await submitForm(page, page.getByRole('button', { name: 'Sök' }), `${kParticipants}/sok`);
    await page.waitForURL(`${baseUrl}${kParticipants}?sok=ingen`);
    assert.equal(await page.locator('main [role=status]').textContent(), 'Ingen inskrivning i insatsen för den personen.');
    await assertNoPersonnummer(page, person, 'the list after the search');
    await context.close();
  });

  test('a coach gets 403 from another intervention\'s records; other roles from the participant list', {
    timeout: kTestTimeout,
  }, async () => {
    const other = await queryDatabase("select id from enrolment where insats_id = 'it-sparet' order by id limit 1");
    assert.match(other, /^\d+$/, 'the demo has an IT-spåret enrolment');
    const measurementsOf = () => queryDatabase(`select count(*) from measurement where enrolment_id = ${other}`);
    const measurementsBefore = await measurementsOf();
    const { context, page } = await openSignedIn('coach.se');
    const csrf = await page.locator('header form input[name=csrf]').inputValue();
    const refused = await page.goto(`${baseUrl}/forbund/hoglandet/deltagare/${other}`);
    assert.equal(refused.status(), 403);
    assert.equal(await page.locator('h1').textContent(), 'Något gick fel');
    assert.equal(await page.locator('main [role=alert]').textContent(), 'du har inte behörighet till det här');
    assert.equal(await page.locator('main dl').count(), 0, 'no facts of the record');
    const refusedMain = await page.locator('main').innerHTML();
    assert.ok(!refusedMain.includes(other) && !refusedMain.includes('IT-spåret'));
    // A record that does not exist is refused the same way, so ids cannot be probed.
    assert.equal((await page.goto(`${baseUrl}/forbund/hoglandet/deltagare/999999`)).status(), 403);
    assert.equal(await page.locator('main').innerHTML(), refusedMain);
    for (const address of ['/forbund/hoglandet/insatser/it-sparet/deltagare',
      '/forbund/hoglandet/insatser/it-sparet/deltagare/ny']) {
      assert.equal((await page.goto(`${baseUrl}${address}`)).status(), 403, address);
    }
    // Writing is refused too, with a valid CSRF token.
    const write = await page.request.post(`${baseUrl}/forbund/hoglandet/deltagare/${other}/matningar`, {
      form: { csrf, datum: todayOnServer(), matt: 'steg', varde: '4' },
      maxRedirects: 0,
    });
    assert.equal(write.status(), 403);
    assert.match(await write.text(), /du har inte behörighet/);
    assert.equal(await measurementsOf(), measurementsBefore, 'no measurement was added');
    await context.close();

    for (const name of ['kansli.hoglandet', 'styrelse.hoglandet']) {
      const { context: roleContext, page: rolePage } = await openSignedIn(name);
      const response = await rolePage.goto(`${baseUrl}${kParticipants}`);
      assert.equal(response.status(), 403, `${name} opens the participant list`);
      assert.equal(await rolePage.locator('#deltagarlista').count(), 0);
      await roleContext.close();
    }
  });

  test('the published report shows counts below 5 as "·", explained in a title', { timeout: kTestTimeout }, async () => {
    const { context, page } = await openSignedIn('styrelse.hoglandet');
    assert.equal((await page.goto(`${baseUrl}/forbund/hoglandet/rapporter/deltagare?ar=2023`)).status(), 200);
    assert.match(await page.locator('#rapport p.view').textContent(), /^Publik vy/);
    const cells = Object.values(await readReportRows(page)).flat();
    const suppressed = cells.filter((cell) => cell.text === '·');
    assert.ok(suppressed.length > 0, 'at least one suppressed cell');
    for (const cell of suppressed) assert.match(cell.title, /färre än gränsen/, 'a title explains "·"');
    assert.deepEqual(cells.filter((cell) => /^[1-4]$/.test(cell.text)), [], 'no count from 1 to 4 is shown');
    await screenshot(page, 'rapport-deltagare-publik');
    await context.close();

    // The coach's own intervention, with record access and then published (&publik=1): each
    // count from 1 to 4 becomes "·", and every count still shown is the same.
    const { context: coachContext, page: coachPage } = await openSignedIn('coach.se');
    const address = `${baseUrl}/forbund/hoglandet/rapporter/deltagare?ar=2024&insats=se-hoglandet`;
    await coachPage.goto(address);
    const full = (await readReportRows(coachPage))['SE-Höglandet'];
    await coachPage.goto(`${address}&publik=1`);
    assert.match(await coachPage.locator('#rapport p.view').textContent(), /^Publik vy/);
    const published = (await readReportRows(coachPage))['SE-Höglandet'];
    assert.equal(published.length, full.length);
    assert.ok(full.some((cell) => /^[1-4]$/.test(cell.text)), 'the demo has small counts in 2024');
    full.forEach((cell, i) => {
      if (/^[1-4]$/.test(cell.text)) assert.equal(published[i].text, '·', `column ${i + 1}: ${cell.text} is suppressed`);
      else if (published[i].text !== '·') assert.equal(published[i].text, cell.text, `column ${i + 1}`);
    });
    await coachContext.close();
  });

  test('a published report filtered to one intervention does not reveal the other\'s suppressed counts', {
    timeout: kTestTimeout,
  }, async () => {
    const { context, page } = await openSignedIn('styrelse.hoglandet');
    await page.goto(`${baseUrl}/forbund/hoglandet/rapporter/deltagare?ar=2023`);
    const all = await readReportRows(page);
    await page.goto(`${baseUrl}/forbund/hoglandet/rapporter/deltagare?ar=2023&insats=se-hoglandet`);
    const filtered = (await readReportRows(page))['SE-Höglandet'];
    await context.close();
    const revealed = [];
    all['IT-spåret'].forEach((cell, i) => {
      if (cell.text !== '·' || all['Summa'][i].text === '·' || filtered[i].text === '·') return;
      revealed.push(`column ${i + 1}: ${Number(all['Summa'][i].text) - Number(filtered[i].text)}`);
    });
    assert.deepEqual(revealed, [], 'IT-spåret counts hidden as "·" follow from Summa minus the filtered row');
  });

  test('the status filter of the participant list swaps only the list, with htmx', { timeout: kTestTimeout }, async () => {
    const { context, page } = await openSignedIn('coach.se');
    await page.goto(`${baseUrl}${kParticipants}`);
    await page.waitForFunction(() => typeof window.htmx === 'object');
    assert.equal(await page.locator('#status').inputValue(), 'pagaende');
    assert.ok((await page.locator('#deltagarlista tbody tr').count()) > 0);
    // Whatever a full page load would lose: a value on window and the elements themselves.
    await page.evaluate(() => {
      window.stegvisMarker = 'kvar';
      window.stegvisHeading = document.querySelector('h1');
      window.stegvisList = document.querySelector('#deltagarlista');
    });
    const [response] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === kParticipants
        && new URL(r.url()).searchParams.get('status') === 'avslutade'),
      page.locator('#status').selectOption('avslutade'),
    ]);
    assert.equal(response.request().headers()['hx-request'], 'true', 'htmx made the request');
    await page.waitForFunction(() => document.querySelector('#deltagarlista') !== window.stegvisList);
    await page.waitForURL((url) => url.searchParams.get('status') === 'avslutade');
    assert.deepEqual(await page.evaluate(() => ({
      marker: window.stegvisMarker,
      sameHeading: document.querySelector('h1') === window.stegvisHeading,
      lists: document.querySelectorAll('#deltagarlista').length,
    })), { marker: 'kvar', sameHeading: true, lists: 1 });
    const statuses = await page.locator('#deltagarlista tbody tr td:last-child').allTextContents();
    assert.ok(statuses.length > 0, 'the list of ended enrolments is not empty');
    for (const status of statuses) assert.match(status, /^Avslutad/);
    assert.equal(await page.locator('#status').inputValue(), 'avslutade');
    await screenshot(page, 'deltagare-lista-avslutade');
    await context.close();
  });

  test('the coach\'s start page shows "Öppna uppgifter" with links to records', { timeout: kTestTimeout }, async () => {
    const { context, page } = await openSignedIn('coach.se');
    const headings = await page.locator('main h2').allTextContents();
    assert.ok(headings.includes('Mina insatser') && headings.includes('Öppna uppgifter'), headings.join(', '));
    const links = await page.locator('main h2:text-is("Mina insatser") + ul a').evaluateAll(
      (anchors) => anchors.map((a) => a.getAttribute('href')));
    assert.deepEqual(links, [kParticipants, kRegistration]);
    const tasks = page.locator('main table', { has: page.locator('caption:text-is("Öppna uppgifter")') });
    const first = tasks.locator('tbody a').first();
    const href = await first.getAttribute('href');
    assert.match(href, kRecordPath);
    await Promise.all([page.waitForURL(`${baseUrl}${href}`), first.click()]);
    assert.equal(await page.locator('h1').textContent(), `Inskrivning ${href.match(kRecordPath)[1]}`);
    await context.close();
  });

  test('axe finds no serious or critical violation on the participant, report, economy and account pages', {
    timeout: 3 * kTestTimeout,
  }, async (t) => {
    // Each page is checked and saved as a screenshot under its label.
    const visit = async (page, address, label) => {
      const response = await page.goto(`${baseUrl}${address}`);
      assert.equal(response.status(), 200, address);
      await checkAccessibility(t, page, address);
      await screenshot(page, label);
    };
    const { context: coachContext, page } = await openSignedIn('coach.se', { bypassCSP: true });
    await visit(page, kParticipants, 'sida-deltagarlista');
    const record = await page.locator('#deltagarlista tbody a').first().getAttribute('href');
    await visit(page, kRegistration, 'sida-registrera');
    const refused = await submitForm(page, page.locator('main form button[type=submit]'), kParticipants);
    assert.equal(refused.status(), 400);
    assert.ok(await page.locator('main .error[role=alert]').first().isVisible());
    await checkAccessibility(t, page, `${kRegistration} (fel)`);
    await screenshot(page, 'sida-registrera-fel');
    await visit(page, record, 'sida-inskrivning');
    await visit(page, '/forbund/hoglandet/rapporter/deltagare?ar=2023&insats=se-hoglandet', 'sida-rapport-deltagare');
    await visit(page, '/forbund/hoglandet/rapporter/steg?ar=2023&insats=se-hoglandet', 'sida-rapport-steg');
    await visit(page, '/konto/losenord', 'sida-losenord');
    await coachContext.close();
    for (const [name, address, label] of [
      ['kansli.hoglandet', '/forbund/hoglandet/ekonomi?ar=2023', 'sida-ekonomi'],
      ['styrelse.hoglandet', '/forbund/hoglandet/rapporter/steg?ar=2023', 'sida-rapport-steg-publik'],
    ]) {
      const { context, page: rolePage } = await openSignedIn(name, { bypassCSP: true });
      await visit(rolePage, address, label);
      await context.close();
    }
    // The start pages of the coach and the administrator are checked by the test above.
  });

  test('changing the password: a wrong current one is refused; the right one signs out everywhere', {
    timeout: kTestTimeout,
  }, async () => {
    const { name, password, newPassword } = kThrowaway;
    // Two sessions of the account, as if on two computers.
    const elsewhere = await newContext();
    const elsewherePage = await elsewhere.newPage();
    await signIn(elsewherePage, name, password);
    const context = await newContext();
    const page = await context.newPage();
    await signIn(page, name, password);
    await Promise.all([
      page.waitForURL(`${baseUrl}/konto/losenord`),
      page.locator('header nav a', { hasText: 'Byt lösenord' }).click(),
    ]);
    await page.locator('#nuvarande').fill(`${password}-fel`);
    await page.locator('#nytt').fill(newPassword);
    const wrong = await submitForm(page, page.locator('main form button[type=submit]'), '/konto/losenord');
    assert.equal(wrong.status(), 400);
    assert.equal(await page.locator('main [role=alert]').textContent(), 'det nuvarande lösenordet stämmer inte');
    assert.equal(await page.locator('#nuvarande').inputValue(), '', 'no password is sent back');
    assert.equal(await page.locator('#nytt').inputValue(), '');
    await screenshot(page, 'losenord-fel');

    await page.locator('#nuvarande').fill(password);
    await page.locator('#nytt').fill(newPassword);
    const changed = await submitForm(page, page.locator('main form button[type=submit]'), '/konto/losenord');
    assert.equal(changed.status(), 303);
    await page.waitForURL(`${baseUrl}/logga-in?bytt=1`);
    assert.equal(await page.locator('main [role=status]').textContent(), 'Lösenordet är bytt. Logga in med det nya.');
    // The other session is over as well.
    await elsewherePage.goto(`${baseUrl}/`);
    assert.equal(new URL(elsewherePage.url()).pathname, '/logga-in');
    await elsewhere.close();

    assert.equal((await submitSignIn(page, name, password)).status(), 401, 'the old password no longer works');
    await signIn(page, name, newPassword);
    assert.equal(await page.locator('header .who').textContent(), `${name} (${kThrowaway.role})`);
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
    // The access log carries no personal data: no password, no account name, no personnummer.
    const secrets = [kPassword, 'fel-0', ...kAccounts.map((account) => account.name), kThrowaway.name,
      kThrowaway.password, kThrowaway.newPassword, ...kRegisteredPerson.notations, ...kRejectedPerson.notations];
    for (const secret of secrets) {
      assert.ok(!server.output.join('').includes(secret), `the server output contains "${secret}"`);
    }
  });
});
