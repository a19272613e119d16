// The strategy discussion and the police investigation's updates (issue #7): a social worker
// records a strategy discussion for Lily Hart's episode from her record, with only the police and
// social care there and no decision on a medical: "Check before saving" shows rule R07's refusal
// in the error summary with everything typed kept; with the medical "not needed" and why, the
// check shows that saving raises rule R06 (health missing); saved, the alert is on her record. A
// detective records that the investigation closed with no further police action at this time
// (the outcome asked for first): her record then shows R08's multi-agency discussion and the
// chronology says it in those words. Other journeys share the database, so each assertion is
// about this journey's own facts: counts before and after, and dates it chose.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { useBrowser, newPage, checkA11y, shoot, signIn, env } from './lib.mjs'

const base = env.BASE_URL
const chromium = useBrowser()

// A date as the pages write it: "27 May 2025".
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December']
function inWords (d) {
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`
}

// A day of the last 300 (not today), so that this journey's discussion is told apart by its date.
function pastDay () {
  const d = new Date()
  d.setUTCDate(d.getUTCDate() - 1 - Math.floor(Math.random() * 300))
  return { day: d.getUTCDate(), month: d.getUTCMonth() + 1, year: d.getUTCFullYear(), iso: d.toISOString().slice(0, 10), words: inWords(d) }
}

// The page's words less rule R08's own warning ("... never 'NFA'"): the letters are never the
// words for a closure.
function withoutWarning (text) {
  return text.replaceAll("never 'NFA'", '')
}

// The record's alert cards still to act on (not those answered, folded away below them).
function liveAlerts (page) {
  return page.locator('#alerts ~ .app-alert')
}

test('a strategy discussion: the medical is required, and health missing is raised', async () => {
  const page = await newPage(chromium.browser)
  await signIn(page, base, 'sw.demo', env.TEST_PASSWORD)
  await page.goto(`${base}/children/p-lily-h`)
  const held = pastDay()
  // Every R06 card about a discussion on this day, answered ones too: a later discussion that
  // another journey records with health there would answer this one.
  const mine = () => page.locator('.app-alert').filter({ hasText: 'rule R06' }).filter({ hasText: `on ${held.words} ` })
  const before = await mine().count()

  await page.getByRole('link', { name: 'Record a strategy discussion for episode e-hart-2025' }).click()
  await page.waitForURL(`${base}/episodes/e-hart-2025/strategy`)
  assert.equal((await page.locator('h1').innerText()).trim(), 'Strategy discussion for Lily Hart and Noah Hart')
  await page.locator('#held-day').fill(String(held.day))
  await page.locator('#held-month').fill(String(held.month))
  await page.locator('#held-year').fill(String(held.year))
  await page.getByLabel('Children\'s social care', { exact: true }).check()
  await page.getByLabel('Role of who attended for Children\'s social care').fill('Social worker, Sam Walker')
  await page.getByLabel('Police', { exact: true }).check()
  await page.getByLabel('Role of who attended for Police').fill(`Detective sergeant (journey ${held.iso})`)
  await page.getByRole('button', { name: 'Check before saving' }).click()

  // Refused by R07: what is missing and why it matters, at the top; everything typed kept.
  const summary = page.locator('.govuk-error-summary')
  await summary.waitFor()
  const said = await summary.innerText()
  assert.match(said, /child protection medical/)
  assert.match(said, /R07/)
  assert.match(said, /Why it matters: Child protection medicals were not considered/)
  assert.ok(await page.getByLabel('Children\'s social care', { exact: true }).isChecked())
  assert.ok(await page.getByLabel('Police', { exact: true }).isChecked())
  assert.ok(!(await page.getByLabel('Health', { exact: true }).isChecked()))
  assert.equal(await page.getByLabel('Role of who attended for Police').inputValue(), `Detective sergeant (journey ${held.iso})`)
  assert.equal(await page.locator('#held-day').inputValue(), String(held.day))
  assert.equal(await page.locator('.govuk-notification-banner').count(), 0, 'nothing to show as raised')
  await checkA11y(page, 'strategy discussion refused')
  await shoot(page, 'strategy-blocked')

  // With the medical decided: the check says what saving would raise, and nothing is saved.
  await page.getByLabel('Not needed', { exact: true }).check()
  await page.getByLabel('Where and when it is arranged, or why it is not needed').fill('Examined by the GP the day after the disclosure; no injury, infection or pregnancy risk; she does not want another examination.')
  await page.getByRole('button', { name: 'Check before saving' }).click()
  const banner = page.locator('.govuk-notification-banner')
  await banner.waitFor()
  assert.equal(await page.locator('.govuk-error-summary').count(), 0)
  assert.match(await banner.innerText(), /Saving this will raise \d+ alerts?/)
  const raised = banner.locator('.app-alert', { hasText: 'rule R06' }).filter({ hasText: 'Lily Hart' })
  assert.equal(await raised.count(), 1, 'R06 would be raised for Lily')
  assert.match(await raised.innerText(), /a health representative with child sexual abuse expertise/)
  assert.ok(await page.getByLabel('Not needed', { exact: true }).isChecked())
  await checkA11y(page, 'strategy discussion checked')
  await shoot(page, 'strategy-check')

  // Saved: back on Lily's record, where the alert now is.
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  await page.waitForURL(`${base}/children/p-lily-h#pathway`)
  assert.equal(await mine().count(), before + 1, 'one R06 alert more for this discussion')
  assert.match(await mine().first().textContent(), /a health representative with child sexual abuse expertise/)
  await page.context().close()
})

test('an investigation closed with no further police action at this time asks for a discussion', async () => {
  const page = await newPage(chromium.browser)
  await signIn(page, base, 'dc.demo', env.TEST_PASSWORD)
  await page.goto(`${base}/children/p-lily-h`)
  const today = inWords(new Date())
  const words = 'no further police action at this time'
  const r08 = () => liveAlerts(page).filter({ hasText: 'rule R08' }).filter({ hasText: `closed on ${today}` })
  const told = () => page.locator('.app-timeline__item', { hasText: words })
  const alertsBefore = await r08().count()
  const chronologyBefore = await told().count()

  await page.getByRole('link', { name: 'Record an investigation update for episode e-hart-2025' }).click()
  await page.waitForURL(`${base}/episodes/e-hart-2025/investigation`)
  assert.equal((await page.locator('h1').innerText()).trim(), 'Police investigation for Lily Hart and Noah Hart')
  assert.match(await page.locator('.govuk-summary-list').innerText(), /^Stage\s+\S/m, 'where the episode is, first')
  await checkA11y(page, 'investigation update')
  await shoot(page, 'investigation')

  // Closed without an outcome: asked for it, the suspect and the event kept.
  const dean = await page.locator('#suspect option', { hasText: 'Dean Cole' }).first().getAttribute('value')
  await page.locator('#suspect').selectOption(dean)
  await page.getByLabel('Investigation closed', { exact: true }).check()
  await page.getByRole('button', { name: 'Save the update' }).click()
  await page.locator('.govuk-error-summary').waitFor()
  assert.match(await page.locator('.govuk-error-summary').innerText(), /Select the outcome of the investigation/)
  assert.equal(await page.locator('#suspect').inputValue(), dean)
  assert.ok(await page.getByLabel('Investigation closed', { exact: true }).isChecked())
  await checkA11y(page, 'investigation update without an outcome')
  assert.doesNotMatch(withoutWarning(await page.locator('main').innerText()), /\bNFA\b/)

  await page.getByLabel('No further police action at this time', { exact: true }).check()
  await page.getByRole('button', { name: 'Save the update' }).click()
  await page.waitForURL(`${base}/children/p-lily-h#alerts`)
  assert.equal(await r08().count(), alertsBefore + 1, 'an R08 alert for this closure')
  const alert = await r08().first().innerText()
  assert.match(alert, /multi-agency discussion about the risk/)
  assert.match(alert, /Due /)
  assert.doesNotMatch(alert, /Answered/)
  assert.equal(await told().count(), chronologyBefore + 1, 'the chronology says it in those words')
  assert.match(await told().last().innerText(), /Dean Cole/)

  // The investigation page tells the story so far in the same words.
  await page.goto(`${base}/episodes/e-hart-2025/investigation`)
  assert.match(await page.locator('.app-timeline').innerText(), /Investigation closed: No further police action at this time \(Dean Cole/)
  assert.doesNotMatch(withoutWarning(await page.locator('main').innerText()), /\bNFA\b/)
  await page.context().close()
})
