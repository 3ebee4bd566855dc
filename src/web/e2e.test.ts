/**
 * The web chat end to end: the real server (tiny model, temp data folder) on a loopback port, driven
 * in headless Chromium. Screenshots land in out/e2e/ for people to look at.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import sharp from 'sharp';
import { Run } from '../engine/events.ts';
import type { ChatEvent, Engine } from '../engine/index.ts';
import { mountChat } from '../server/chat/index.ts';
import type { RunningServer } from '../server/serve.ts';
import type { ChatStore } from '../server/store/index.ts';
import { startTestServer, tinyModel } from '../server/test-support.ts';

const SHOTS = fileURLToPath(new URL('../../out/e2e/', import.meta.url));
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let server: RunningServer;
let browser: Browser;
let store: ChatStore;
const dataDir = mkdtempSync(join(tmpdir(), 'tessera-e2e-'));

/** Chat replies trickle out a row at a time, as a real model's would, so the browser sees each one. */
function slowPartials(engine: Engine): void {
  const chat = engine.chat.bind(engine);
  async function* slow(events: AsyncIterable<ChatEvent>) {
    for await (const event of events) {
      if (event.type === 'partial') await new Promise((resolve) => setTimeout(resolve, 25));
      yield event;
    }
  }
  engine.chat = (messages, options) => new Run(() => slow(chat(messages, options)), ({ text, images }) => ({ text, images }));
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const { model } = await tinyModel();
  slowPartials(model.engine);
  server = await startTestServer({ model }, { extraRoutes: (app, ctx) => void (store = mountChat(app, ctx, { dataDir })) });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
});

after(async () => {
  await browser?.close();
  await server?.close();
  store?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function openPage(options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 860 }, ...options });
  const page = await context.newPage();
  page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
  await page.goto(server.url);
  await page.waitForSelector('#conversations li');
  return page;
}

async function send(page: Page, text: string): Promise<void> {
  await page.fill('#prompt', text);
  await page.press('#prompt', 'Enter');
}

const finalImages = (page: Page) => page.locator('.message.assistant:not(.pending) img[data-image-id]');

/** Records, on every row drawn, how much of the live canvas is painted and whether a final image exists yet. */
async function watchCanvases(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { snapshots: { rows: number; painted: number; final: boolean }[] };
    w.snapshots = [];
    new MutationObserver((records) => {
      for (const r of records) {
        const canvas = r.target as HTMLCanvasElement;
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
        const final = document.querySelector('.message.assistant:not(.pending) img[data-image-id]') !== null;
        w.snapshots.push({ rows: Number(canvas.dataset.rows), painted, final });
      }
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-rows'] });
  });
}

let conversationTitle = '';

test('a prompt streams: the canvas fills row by row before the final image arrives', { timeout: 60_000 }, async () => {
  const page = await openPage();
  await page.screenshot({ path: join(SHOTS, 'empty.png') });
  await watchCanvases(page);
  conversationTitle = 'a red star on a green field';
  await send(page, conversationTitle);
  await page.locator('.pending canvas').first().waitFor();
  await page.waitForFunction(() => Number(document.querySelector('.pending canvas')?.getAttribute('data-rows')) >= 8);
  await page.screenshot({ path: join(SHOTS, 'streaming.png') });
  await finalImages(page).first().waitFor();
  const snapshots = await page.evaluate(() => (window as unknown as { snapshots: { rows: number; painted: number; final: boolean }[] }).snapshots);
  const before = snapshots.filter((s) => !s.final);
  assert.ok(before.length >= 4, `saw ${before.length} partial renders before the final image`);
  for (let i = 1; i < before.length; i++) assert.ok(before[i].painted > before[i - 1].painted, 'each row adds painted pixels');
  assert.ok(before[0].painted < 128 * 128, 'the first render is a partial one');
  await page.locator('.conversation.current', { hasText: conversationTitle }).waitFor();
  await page.screenshot({ path: join(SHOTS, 'desktop.png') });
  await page.context().close();
});

test('edit with the brush: paint a mask, submit, a new image appears', { timeout: 60_000 }, async () => {
  const page = await openPage();
  await finalImages(page).first().waitFor();
  await page.getByRole('button', { name: 'Edit this image' }).first().click();
  const canvas = page.locator('#mask-canvas');
  await canvas.waitFor();
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.25);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.3, { steps: 8 });
  await page.mouse.up();
  await page.fill('#edit-instruction', 'make the sky red');
  await page.screenshot({ path: join(SHOTS, 'edit-dialog.png') });
  await page.click('#edit-submit');
  await page.locator('.message.user', { hasText: 'make the sky red' }).locator('.edit-ref', { hasText: 'masked' }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('.message.assistant:not(.pending) img[data-image-id]').length === 2);
  await page.screenshot({ path: join(SHOTS, 'after-edit.png') });

  const [conversation] = store.listConversations();
  const { messages } = store.getConversation(conversation.id);
  const edit = messages.find((m) => m.text === 'make the sky red')!;
  const mask = await sharp(store.getImage(edit.images.find((im) => im.kind === 'mask')!.id).png!).raw().toBuffer({ resolveWithObject: true });
  const alpha = (x: number, y: number) => mask.data[(y * mask.info.width + x) * 4 + 3];
  assert.equal(alpha(64, 35), 0, 'painted: alpha 0');
  assert.equal(alpha(64, 110), 255, 'unpainted: opaque');
  await page.context().close();
});

test('best-of-N: candidates with scores; choosing one moves the choice', { timeout: 60_000 }, async () => {
  const page = await openPage();
  await page.click('#new-chat');
  await page.selectOption('#count', '2');
  await send(page, 'two blue stars');
  const picker = page.locator('.message.assistant:not(.pending) .candidates');
  await picker.waitFor();
  assert.equal(await picker.locator('.image-card').count(), 2);
  assert.equal(await picker.locator('.score').count(), 2);
  await picker.getByRole('button', { name: 'Use this' }).click();
  await page.waitForFunction(() => {
    const cards = document.querySelectorAll('.message.assistant .candidates .image-card');
    return cards.length === 2 && cards[1].classList.contains('chosen');
  });
  await page.screenshot({ path: join(SHOTS, 'best-of-n.png') });
  await page.context().close();
});

test('a reload loses nothing: the conversations and their images come back', { timeout: 60_000 }, async () => {
  const page = await openPage();
  await page.reload();
  await page.locator('.conversation', { hasText: conversationTitle }).click();
  await page.waitForFunction(() => document.querySelectorAll('.message.assistant img[data-image-id]').length === 2);
  assert.equal(await page.locator('.message.user').count(), 2);
  assert.match(page.url(), /#c\/[0-9a-f-]{36}$/);
  await page.screenshot({ path: join(SHOTS, 'reloaded.png') });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).first().click()]);
  assert.match(download.suggestedFilename(), /^tessera-[0-9a-f]{8}\.png$/);
  await page.context().close();
});

test('Stop cancels the run on the server; Reply then answers the same message', { timeout: 60_000 }, async () => {
  const page = await openPage();
  await page.click('#new-chat');
  await send(page, 'a slow yellow moon');
  await page.waitForFunction(() => Number(document.querySelector('.pending canvas')?.getAttribute('data-rows')) >= 2);
  await page.getByRole('button', { name: 'Stop' }).click();
  await page.locator('.error', { hasText: 'Stopped.' }).waitFor();
  const conversation = store.listConversations().find((c) => c.title === 'a slow yellow moon')!;
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.deepEqual(store.getConversation(conversation.id).messages.map((m) => m.role), ['user'], 'no reply was stored');
  await page.screenshot({ path: join(SHOTS, 'stopped.png') });
  await page.getByRole('button', { name: 'Reply', exact: true }).click();
  await finalImages(page).first().waitFor();
  assert.deepEqual(store.getConversation(conversation.id).messages.map((m) => m.role), ['user', 'assistant']);
  await page.context().close();
});

test('attach an image: it shows in the box and in the sent message', { timeout: 60_000 }, async () => {
  const page = await openPage();
  await page.click('#new-chat');
  const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#d33' } }).png().toBuffer();
  await page.setInputFiles('#file-input', { name: 'red.png', mimeType: 'image/png', buffer: png });
  await page.locator('.attachment img').waitFor();
  // Drop one on the page and paste one into the prompt box: three attachments.
  // (No named functions inside evaluate: tsx's keepNames would reference a helper the page lacks.)
  await page.evaluate(async (bytes) => {
    const drop = new DataTransfer();
    drop.items.add(new File([new Uint8Array(bytes)], 'red.png', { type: 'image/png' }));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: drop, bubbles: true, cancelable: true }));
    const paste = new DataTransfer();
    paste.items.add(new File([new Uint8Array(bytes)], 'red.png', { type: 'image/png' }));
    document.querySelector('#prompt')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: paste, bubbles: true, cancelable: true }));
  }, [...png]);
  await page.waitForFunction(() => document.querySelectorAll('.attachment img').length === 3);
  await page.getByRole('button', { name: 'Remove attachment 3' }).click();
  await page.screenshot({ path: join(SHOTS, 'attachments.png') });
  await send(page, 'a hat for this');
  await page.locator('.message.user:not(.optimistic) img.thumb[data-image-id]').nth(1).waitFor();
  await finalImages(page).first().waitFor();
  await page.context().close();
});

test('phone size: no sideways scroll, 44px targets, the list opens as a drawer (dark)', { timeout: 60_000 }, async () => {
  const page = await openPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, colorScheme: 'dark' });
  await page.click('#menu');
  await page.locator('#sidebar.open').waitFor();
  assert.equal(await page.getAttribute('#menu', 'aria-expanded'), 'true');
  await page.waitForTimeout(300); // the slide-in transition
  await page.screenshot({ path: join(SHOTS, 'phone-drawer.png') });
  await page.locator('.conversation', { hasText: conversationTitle }).locator('.conversation-link').click();
  await page.locator('#sidebar:not(.open)').waitFor();
  await finalImages(page).first().waitFor();
  await page.waitForTimeout(300);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'no horizontal overflow');
  const small = await page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('button, select, textarea, .conversation-link'))
      .filter((el) => el.offsetParent !== null && !el.closest('dialog, .sidebar'))
      .map((el) => ({ name: el.getAttribute('aria-label') ?? el.textContent?.trim(), ...el.getBoundingClientRect().toJSON() }))
      .filter((r) => r.width < 44 || r.height < 44),
  );
  assert.deepEqual(small, [], 'every visible control is at least 44px');
  await page.screenshot({ path: join(SHOTS, 'phone.png') });
  await page.context().close();
});
