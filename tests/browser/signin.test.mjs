// Signing in (issue #7): the sign-in page is accessible; a wrong password shows a GOV.UK error
// summary and keeps the username typed; the right one lands on "My work", which is accessible
// too. Screenshots: sign-in, my-work.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, newPage, checkA11y, shoot, signIn, env } from './lib.mjs'

const base = env.BASE_URL
let browser

before(async () => {
  assert.ok(base, 'BASE_URL is set (tests/browser/run.sh sets it)')
  assert.ok(env.TEST_PASSWORD, 'TEST_PASSWORD is set (tests/browser/run.sh sets it)')
  browser = await launch()
})

after(async () => {
  await browser?.close()
})

test('the sign-in page is accessible', async () => {
  const page = await newPage(browser)
  const response = await page.goto(`${base}/sign-in`)
  assert.equal(response.status(), 200)
  await checkA11y(page, 'sign-in')
  await shoot(page, 'sign-in')
  await page.context().close()
})

test('a wrong password shows an error summary and keeps the username', async () => {
  const page = await newPage(browser)
  await page.goto(`${base}/sign-in`)
  await page.getByLabel('Username', { exact: true }).fill('sw.demo')
  await page.getByLabel('Password', { exact: true }).fill('not the password at all')
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.waitForLoadState()
  const summary = page.locator('.govuk-error-summary')
  assert.equal(await summary.count(), 1, 'one error summary')
  assert.ok(await summary.isVisible(), 'the error summary is shown')
  assert.equal(await page.getByLabel('Username', { exact: true }).inputValue(), 'sw.demo')
  assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '',
    'the password is not sent back')
  assert.notEqual(new URL(page.url()).pathname, '/work')
  await checkA11y(page, 'sign-in with an error')
  await page.context().close()
})

test('the right password lands on My work', async () => {
  const page = await newPage(browser)
  await signIn(page, base, 'sw.demo', env.TEST_PASSWORD)
  assert.equal(new URL(page.url()).pathname, '/work')
  assert.equal((await page.locator('h1').innerText()).trim(), 'My work')
  await shoot(page, 'my-work')
  await checkA11y(page, 'my-work')
  await page.context().close()
})
