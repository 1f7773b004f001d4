import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogue2019 } from '@gdhk/catalogue';
import { devAuthKeys, issueToken } from '@gdhk/http';
import { buildDesk, freePort } from '@gdhk/infra';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startSystem, testInfra, type TestSystem } from '@gdhk/tests/support';
import { DroppableProxy, launchChromium, seriousAxeViolations } from '../support/browser.ts';

const root = join(import.meta.dirname, '..', '..');

// The secretariat's desk in real Chromium against the whole stack: joint-api serves the built
// desk, the desk reads joint-api through the generated client and follows the feed over SSE.
describe('the joint secretariat desk in Chromium', () => {
  const infra = testInfra('desk');
  let system: TestSystem;
  // The browser reaches joint-api through a relay the test can cut, as a network drop would.
  let proxy: DroppableProxy;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let secretariat: string;
  let gdCoordinator: string;
  let hkCoordinator: string;

  const deskUrl = () => proxy.url;
  const report = async (side: 'gd' | 'hk', itemId: string, progress: number, summary: string) => {
    const response = await call(`${system.url(`${side}-service`)}/v1/items/${itemId}/status`, {
      token: side === 'gd' ? gdCoordinator : hkCoordinator,
      headers: { 'idempotency-key': randomUUID() },
      body: { status: 'in_progress', progress, summary },
    });
    expect(response.status).toBe(201);
  };
  const card = (itemId: string) => page.locator(`[data-testid=item][data-item="${itemId}"]`);
  const connection = () => page.getByTestId('connection');

  beforeAll(async () => {
    buildDesk();
    await infra.createTopics();
    system = await startSystem(infra, ['gd-service', 'hk-service', 'projection', 'joint-api']);
    proxy = new DroppableProxy(await freePort(), { host: '127.0.0.1', port: Number(new URL(system.url('joint-api')).port) });
    await proxy.open();
    secretariat = await system.token('joint', 'secretariat');
    gdCoordinator = await system.token('gd', 'coordinator', 'Transport and Housing');
    hkCoordinator = await system.token('hk', 'coordinator', 'Security Bureau');
    await report('gd', '2019-01', 10, 'Operating arrangements under review');
    await report('hk', '2019-01', 20, 'Legislative amendments drafted');
    browser = await launchChromium();
    // bypassCSP only so the test can inject axe-core; the page itself runs under its CSP.
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, locale: 'zh-HK', bypassCSP: true });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await proxy?.drop();
    await system?.stop();
    await infra.cleanup();
  });

  it('signs in with the fragment link, keeps the token out of the address bar, and shows 74 items in 9 chapters', async () => {
    await page.goto(`${deskUrl()}/#token=${secretariat}`);
    await expect.poll(() => page.getByTestId('item').count(), { timeout: 15_000 }).toBe(74);
    expect(await page.getByTestId('chapter').count()).toBe(9);
    expect(page.url()).not.toContain('token');
    expect(await page.evaluate("sessionStorage.getItem('gdhk.desk.token')")).toBe(secretariat);
    await expect.poll(() => connection().getAttribute('data-state'), { timeout: 10_000 }).toBe('open');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-Hant');
    expect(await card('2019-01').getByTestId('summary-hk').textContent()).toContain('Legislative amendments drafted');
    expect(await page.getByTestId('chart').count()).toBe(1);
  });

  it('a report posted to gd-service changes its item on screen within 2 s, without reload', async () => {
    await page.evaluate(() => ((globalThis as { notReloaded?: boolean }).notReloaded = true));
    await report('gd', '2019-02', 42, 'Live from the GD side');
    const posted = Date.now();
    await card('2019-02').getByTestId('progress-gd').filter({ hasText: '42%' }).waitFor({ timeout: 2_000 });
    expect(Date.now() - posted).toBeLessThan(2_000);
    expect(await card('2019-02').getAttribute('data-status')).toBe('in_progress');
    expect(await page.evaluate(() => (globalThis as { notReloaded?: boolean }).notReloaded)).toBe(true);
  });

  it('after the connection drops, the missed events arrive once it resumes (Last-Event-ID), none twice', async () => {
    await expect.poll(() => connection().getAttribute('data-state')).toBe('open');
    const before = Number(await connection().getAttribute('data-received'));
    await proxy.drop();
    await expect.poll(() => connection().getAttribute('data-state'), { timeout: 10_000 }).toBe('reconnecting');
    await report('hk', '2019-03', 33, 'Written while the desk was cut off');
    await report('gd', '2019-04', 44, 'Also written while cut off');
    await proxy.open();
    await expect.poll(() => connection().getAttribute('data-state'), { timeout: 20_000 }).toBe('open');
    await expect.poll(async () => Number(await connection().getAttribute('data-received')), { timeout: 10_000 }).toBe(before + 2);
    await card('2019-03').getByTestId('progress-hk').filter({ hasText: '33%' }).waitFor({ timeout: 5_000 });
    await card('2019-04').getByTestId('progress-gd').filter({ hasText: '44%' }).waitFor({ timeout: 5_000 });
  });

  it('the language switch changes the catalogue text and the interface, and is remembered', async () => {
    const first = (text: string) => text.slice(0, 30);
    await page.getByTestId('language').selectOption('en');
    await expect.poll(() => card('2019-01').getByTestId('item-text').textContent()).toContain(first(catalogue2019.localized('2019-01', 'en')?.text ?? '?'));
    expect(await page.getByRole('link', { name: 'Overview' }).count()).toBe(1);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByTestId('language').selectOption('zh-Hans');
    await expect.poll(() => card('2019-01').getByTestId('item-text').textContent()).toContain(first(catalogue2019.localized('2019-01', 'zh-Hans')?.text ?? '?'));
    expect(await page.getByRole('link', { name: '总览' }).count()).toBe(1);
    await page.reload();
    await expect.poll(() => page.getByRole('link', { name: '总览' }).count(), { timeout: 10_000 }).toBe(1);
  });

  it("the item page shows both sides' history in the cross-side order, and its decisions", async () => {
    await report('hk', '2019-01', 25, 'Second HK report');
    await report('gd', '2019-01', 15, 'Second GD report');
    await page.goto(`${deskUrl()}/#/items/2019-01`);
    await expect.poll(() => page.locator('[data-testid=history] tbody tr').count(), { timeout: 10_000 }).toBe(4);
    const rows = await page.locator('[data-testid=history] tbody tr').evaluateAll((elements) =>
      elements.map((element) => ({ occurredAt: element.getAttribute('data-occurred-at') ?? '', side: element.getAttribute('data-side') ?? '', eventId: element.getAttribute('data-event-id') ?? '' })),
    );
    const key = (row: { occurredAt: string; side: string; eventId: string }) => `${row.occurredAt}|${row.side}|${row.eventId}`;
    expect(rows.map(key)).toEqual(rows.map(key).sort());
    expect(new Set(rows.map((row) => row.side))).toEqual(new Set(['gd', 'hk']));
    expect(await page.getByTestId('plan-text').textContent()).toBe(catalogue2019.localized('2019-01', 'zh-Hans')?.text);
  });

  it('both exports download and hold 74 item rows', async () => {
    await page.goto(`${deskUrl()}/#/`);
    await page.getByTestId('item').first().waitFor();
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-items-csv').click()]);
    const bytes = readFileSync(await csv.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8').trimEnd().split('\r\n').filter((line) => /^2019-\d\d,/.test(line))).toHaveLength(74);
    expect(csv.suggestedFilename()).toBe('items-zh-Hans.csv');
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-items-xlsx').click()]);
    const workbook = new ExcelJS.Workbook();
    const file = readFileSync(await xlsx.path());
    await workbook.xlsx.load(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength));
    expect(workbook.worksheets[0]?.rowCount).toBe(75);
  });

  it('axe-core finds no serious or critical violation on any page; it reads at 200 % zoom', async () => {
    for (const path of ['#/', '#/items/2019-01', '#/decisions', '#/verification']) {
      await page.goto(`${deskUrl()}/${path}`);
      await page.locator('main h2, main [data-testid=item]').first().waitFor({ timeout: 10_000 });
      expect(await seriousAxeViolations(page), path).toEqual([]);
    }
    // 200 % zoom of a 1280 px window: a 640 px wide viewport; nothing scrolls sideways.
    await page.setViewportSize({ width: 640, height: 450 });
    await page.goto(`${deskUrl()}/#/`);
    await page.getByTestId('item').first().waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await page.setViewportSize({ width: 1280, height: 900 });

    const signedOut = await context.newPage();
    await signedOut.goto(`${deskUrl()}/`);
    await signedOut.getByTestId('sign-in-reason').waitFor();
    expect(await seriousAxeViolations(signedOut)).toEqual([]);
    await signedOut.close();
  });

  it('a missing, wrong-role or expired token gets the sign-in screen with the reason', async () => {
    const fresh = await browser.newContext({ locale: 'en-GB' });
    const signIn = await fresh.newPage();
    await signIn.goto(`${deskUrl()}/`);
    expect(await signIn.getByTestId('sign-in-reason').textContent()).toContain('No token');
    await signIn.goto(`${deskUrl()}/#token=${gdCoordinator}`);
    await signIn.reload();
    expect(await signIn.getByTestId('sign-in-reason').textContent()).toContain('not of role secretariat');
    const { privateKey } = await devAuthKeys(system.keysDir);
    const expired = await issueToken(privateKey, { sub: 'secretariat-late', side: 'joint', roles: ['secretariat'], issuer: 'gdhk-dev', audience: 'gdhk', expiresIn: '-1 minute' });
    await signIn.goto(`${deskUrl()}/#token=${expired}`);
    await signIn.reload();
    expect(await signIn.getByTestId('sign-in-reason').textContent()).toContain('expired');
    await fresh.close();
  });

  it('the keyboard reaches the skip link first and opens an item', async () => {
    await page.goto(`${deskUrl()}/#/`);
    await page.reload();
    await page.getByTestId('item').first().waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.className')).toBe('skip');
    await card('2019-05').getByRole('link').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('item-page').waitFor();
    expect(page.url()).toContain('#/items/2019-05');
  });

  it('takes the overview screenshot the README shows', async () => {
    const blocked = await call(`${system.url('hk-service')}/v1/items/2019-06/status`, {
      token: hkCoordinator,
      headers: { 'idempotency-key': randomUUID() },
      body: { status: 'blocked', progress: 30, summary: 'Site formation paused', blockers: 'Land resumption pending', targetDate: '2019-12-31' },
    });
    expect(blocked.status).toBe(201);
    await page.goto(`${deskUrl()}/#/`);
    await page.getByTestId('language').selectOption('en');
    await page.getByTestId('item').first().waitFor();
    await page.setViewportSize({ width: 1280, height: 900 });
    mkdirSync(join(root, '.reports'), { recursive: true });
    const shot = join(root, '.reports', 'desk-overview.png');
    await page.screenshot({ path: shot });
    // The committed copy changes only when asked (GDHK_UPDATE_SCREENSHOT=1), so a run leaves the tree clean.
    if (process.env.GDHK_UPDATE_SCREENSHOT === '1') copyFileSync(shot, join(root, 'docs', 'desk-overview.png'));
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
  });
});
