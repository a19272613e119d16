// Signing in (issue #7): the sign-in page is accessible; a wrong password shows a GOV.UK error
// summary and keeps the username typed; the right one lands on "My work", which is accessible
// too. Screenshots: sign-in, my-work.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { useBrowser, newPage, checkA11y, shoot, signIn, env } from './lib.mjs'

const base = env.BASE_URL
const chromium = useBrowser()

test('the sign-in page is accessible', async () => {
  const page = await newPage(chromium.browser)
  const response = await page.goto(`${base}/sign-in`)
  assert.equal(response.status(), 200)
  await checkA11y(page, 'sign-in')
  await shoot(page, 'sign-in')
  await page.context().close()
})

test('a wrong password shows an error summary and keeps the username', async () => {
  const page = await newPage(chromium.browser)
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
  const page = await newPage(chromium.browser)
  await signIn(page, base, 'sw.demo', env.TEST_PASSWORD)
  assert.equal(new URL(page.url()).pathname, '/work')
  assert.equal((await page.locator('h1').innerText()).trim(), 'My work')
  await shoot(page, 'my-work')
  await checkA11y(page, 'my-work')
  await page.context().close()
})

// My work joins the alerts and the pathway's deadlines in one list, overdue first; "Allocated
// to you" keeps Sam Walker's own children (Lily Hart), her brother's episode with her.
test('my work lists the deadlines beside the alerts, and what is allocated to you', async () => {
  const page = await newPage(chromium.browser)
  await signIn(page, base, 'sw.demo', env.TEST_PASSWORD)
  const main = page.locator('main')
  const conference = main.locator('.app-alert', {
    hasText: 'Initial child protection conference for Lily Hart and Noah Hart'
  })
  assert.equal(await conference.count(), 1)
  const card = await conference.innerText()
  assert.match(card, /Overdue by \d+ working days/)
  assert.match(card, /Allocated to you/)
  assert.match(card, /Hold the initial child protection conference/)
  assert.match(card, /Children's social care to act/)
  // Overdue first: no "Due" card comes before the last overdue one.
  const tags = await main.locator('.app-alert .govuk-tag:first-child').allInnerTexts()
  const firstDue = tags.findIndex((t) => !t.startsWith('Overdue'))
  const lastOverdue = tags.map((t) => t.startsWith('Overdue')).lastIndexOf(true)
  assert.ok(firstDue === -1 || firstDue > lastOverdue, `overdue first: ${tags.join(' | ')}`)

  await main.getByRole('link', { name: 'Allocated to you' }).click()
  await page.waitForURL(`${base}/work?for=me`)
  assert.equal(await main.getByRole('link', { name: 'Allocated to you' }).getAttribute('aria-current'), 'page')
  const children = await main.locator('.app-alert h3 a').allInnerTexts()
  assert.ok(children.length > 0)
  for (const name of children) {
    assert.ok(['Lily Hart', 'Noah Hart'].includes(name), `only Lily's work: ${name}`)
  }
  await shoot(page, 'my-work-allocated')
  await checkA11y(page, 'my-work allocated to you')
  await page.context().close()
})
