// What the browser tests share (tests/browser/*.test.mjs, run by tests/browser/run.sh):
// Debian's Chromium driven by playwright-core, accessibility checked with axe-core, full-page
// screenshots at desktop and phone sizes, and signing in through the sign-in page.
//
// The page's Content-Security-Policy stays enforced in every test (no bypassCSP), so a test
// sees what a practitioner's browser sees: an inline style or script the CSP blocks is blocked
// here too, and newPage() turns every CSP violation into a test failure (checkA11y and shoot
// throw it). axe-core is injected through the DevTools protocol, which the page's CSP does not
// govern, rather than as an inline <script> it would refuse.
//
//   launch()                          Chromium, headless, never downloaded: /usr/bin/chromium
//   useBrowser()                      one Chromium for a test file: launched before its tests,
//                                     closed after; its .browser once started
//   newPage(browser)                  a page in a fresh context (its own cookies), 1280 wide
//   checkA11y(page, label)            axe-core, WCAG 2.0/2.1/2.2 A and AA; throws on violations
//   shoot(page, name)                 NAME-desktop.png and NAME-phone.png in SCREENSHOT_DIR
//   signIn(page, base, user, pw)      the sign-in form, then waits for /work
//   env                               BASE_URL, DB, PATHWAY, TEST_PASSWORD from run.sh
import { readFileSync, mkdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import assert from 'node:assert/strict'
import { before, after } from 'node:test'
import { chromium } from 'playwright-core'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '..', '..')

export const env = {
  BASE_URL: process.env.BASE_URL,
  DB: process.env.DB,
  PATHWAY: process.env.PATHWAY,
  TEST_PASSWORD: process.env.TEST_PASSWORD
}

export const CHROMIUM = '/usr/bin/chromium'

const DESKTOP = { width: 1280, height: 800 }
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

// One Chromium for the test file that calls this at its top level: launched before its tests
// (run.sh must have set BASE_URL and TEST_PASSWORD), closed after them.
export function useBrowser () {
  const held = { browser: undefined }
  before(async () => {
    assert.ok(env.BASE_URL, 'BASE_URL is set (tests/browser/run.sh sets it)')
    assert.ok(env.TEST_PASSWORD, 'TEST_PASSWORD is set (tests/browser/run.sh sets it)')
    held.browser = await launch()
  })
  after(async () => {
    await held.browser?.close()
  })
  return held
}

export async function launch () {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync'
    ]
  })
}

// What each page has seen: CSP violations, uncaught script errors, the method of its last
// main-frame navigation (shoot() re-opens GET pages on the phone, not the result of a POST).
const seen = new WeakMap()

function watch (page) {
  const state = { problems: [], lastMethod: 'GET' }
  seen.set(page, state)
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) {
      state.problems.push(`CSP violation at ${page.url()}: ${msg.text()}`)
    }
  })
  page.on('pageerror', (error) => {
    state.problems.push(`script error at ${page.url()}: ${error.message}`)
  })
  page.on('request', (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) {
      state.lastMethod = request.method()
    }
  })
  return page
}

// throwIfProblems(page): fails the test on CSP violations or script errors seen so far.
export function throwIfProblems (page) {
  const state = seen.get(page)
  if (state && state.problems.length > 0) {
    const problems = state.problems.splice(0)
    throw new Error(problems.join('\n'))
  }
}

// newPage(browser, options): a page in a new context (fresh cookies), desktop sized. options go
// to browser.newContext (e.g. { storageState }). Waits give up after 15 s rather than 30: a page
// that is not there fails soon.
export async function newPage (browser, options = {}) {
  const context = await browser.newContext({ viewport: DESKTOP, ...options })
  context.setDefaultTimeout(15000)
  return watch(await context.newPage())
}

const axeSource = readFileSync(join(root, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8')

export async function checkA11y (page, label) {
  throwIfProblems(page)
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(axeSource)
  }
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    AXE_TAGS
  )
  if (result.violations.length > 0) {
    const lines = [`${label}: ${result.violations.length} accessibility violation(s) at ${page.url()}`]
    for (const v of result.violations) {
      lines.push(`  ${v.id} (${v.impact}): ${v.help} ${v.helpUrl}`)
      for (const node of v.nodes) {
        lines.push(`    ${node.target.join(' ')}${node.failureSummary ? ': ' + node.failureSummary.replace(/\s*\n\s*/g, ' ') : ''}`)
      }
    }
    throw new Error(lines.join('\n'))
  }
}

function screenshotDir () {
  const dir = process.env.SCREENSHOT_DIR || join(root, 'build', 'screenshots')
  mkdirSync(dir, { recursive: true })
  return dir
}

// shoot(page, name): full-page screenshots, NAME-desktop.png (1280 wide) from the page itself
// and NAME-phone.png (390x844, a mobile browser) from the same URL opened afresh in a phone
// context with the same cookies. The result of a POST (a form shown again with its errors)
// cannot be fetched again, so for it the phone shot is the same page narrowed to 390 wide.
// Opening the page again is another read: a child's record shot once is on the access log
// twice (count the log before shoot, or after it knowing this).
export async function shoot (page, name) {
  throwIfProblems(page)
  const dir = screenshotDir()
  const size = page.viewportSize()
  if (size === null || size.width !== DESKTOP.width) {
    await page.setViewportSize(DESKTOP)
  }
  await page.screenshot({ path: join(dir, `${name}-desktop.png`), fullPage: true })
  const phoneFile = join(dir, `${name}-phone.png`)
  if ((seen.get(page)?.lastMethod ?? 'GET') !== 'GET') {
    await page.setViewportSize(PHONE.viewport)
    await page.screenshot({ path: phoneFile, fullPage: true })
    await page.setViewportSize(size ?? DESKTOP)
    return
  }
  const context = await page.context().browser().newContext({
    ...PHONE,
    storageState: await page.context().storageState()
  })
  try {
    const phone = watch(await context.newPage())
    await phone.goto(page.url())
    await phone.screenshot({ path: phoneFile, fullPage: true })
    throwIfProblems(phone)
  } finally {
    await context.close()
  }
}

export async function signIn (page, base, user, password) {
  await page.goto(`${base}/sign-in`)
  await page.getByLabel('Username', { exact: true }).fill(user)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.waitForURL(`${base}/work`)
}
