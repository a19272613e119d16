// Record a concern (GET/POST /children/{id}/concern): a social worker with a frightened child in
// front of them records what was seen and said. Sam (sw.demo) opens Lily Hart's record, clicks
// "Record a concern", sends it empty (the error summary, nothing lost), then records a sexually
// transmitted infection in a 10-year-old with her own words: rule R11 raises an act alert (a
// child under 13 cannot consent: a strategy discussion within 1 working day), which Lily's record
// shows after saving, and the concern is in her chronology. A second journey corrects a child's
// identity (how they communicate: R18) in the same save.
//
// Other journeys share the database and may record on Lily's episode (a strategy discussion
// answers R11), so this file counts its own effects, before and after, and finds its own concern
// through the API by a narrative no one else writes.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { useBrowser, newPage, checkA11y, shoot, signIn, env } from './lib.mjs'

const base = env.BASE_URL
const chromium = useBrowser()

async function apiGet (page, path) {
  const res = await page.request.get(`${base}${path}`)
  assert.equal(res.status(), 200, `GET ${path}`)
  return res.json()
}

// The cards on a child's record (open and answered) that R11 raised for an infection.
function r11Cards (page) {
  return page.locator('main .app-alert', { hasText: 'sexually transmitted infection' }).filter({ hasText: 'rule R11' })
}

function stiConcernsInChronology (page) {
  return page.locator('.app-timeline__item', { hasText: /concern raised about Lily Hart: 1 indicator \(sti\)/ })
}

test('record a concern about Lily: refused when empty, then an infection under 13 raises R11', async () => {
  const narrative = `Lily came to the medical room at ${Date.now()} and the school nurse saw the GP's letter`
  const words = 'he said it was our secret and I must not tell mummy'
  const page = await newPage(chromium.browser)
  await signIn(page, base, 'sw.demo', env.TEST_PASSWORD)
  await page.goto(`${base}/children/p-lily-h`)
  const cardsBefore = await r11Cards(page).count()
  const chronologyBefore = await stiConcernsInChronology(page).count()

  await page.getByRole('button', { name: 'Record a concern' }).click()
  await page.waitForURL(`${base}/children/p-lily-h/concern`)
  assert.equal((await page.locator('h1').innerText()).trim(), 'Record a concern')
  assert.match(await page.locator('.govuk-caption-l').innerText(), /Lily Hart, 10/)
  // Today is filled in; a child does not have to tell.
  const today = new Date()
  const fmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'numeric', year: 'numeric' })
  const [d, m, y] = fmt.format(today).split('/').map((s) => String(Number(s)))
  assert.equal(await page.getByLabel('Day').inputValue(), d)
  assert.equal(await page.getByLabel('Month').inputValue(), m)
  assert.equal(await page.getByLabel('Year').inputValue(), y)
  assert.match(await page.locator('#disclosure-hint').innerText(), /does not have to tell/)
  // The signs by category, their strength at Lily's age; Dean Cole marked.
  assert.equal(await page.locator('details.govuk-details summary', { hasText: /signs\)/ }).count(), 5)
  // (inside closed groups: read as text, not as rendered)
  assert.match(await page.locator('label[for="ind-sti"]').textContent(), /Sexually transmitted infection\s+suspect/)
  assert.match(await page.locator('label[for="ind-fear_of_person"]').textContent(), /consider/)
  assert.match(await page.locator('#alleged-hint ~ .govuk-checkboxes').innerText(), /Dean Cole.*sexual-harm history/)
  // Who Lily is, from her registration.
  assert.equal(await page.getByLabel('Ethnicity').inputValue(), 'WBRI')
  assert.equal(await page.getByLabel('First language').inputValue(), 'English')
  await checkA11y(page, 'record a concern')
  await shoot(page, 'concern')

  // Empty: the error summary says a concern must say something; nothing recorded.
  await page.getByRole('button', { name: 'Save the concern' }).click()
  await page.locator('.govuk-error-summary').waitFor()
  const summary = page.locator('.govuk-error-summary__list li')
  assert.equal(await summary.count(), 1)
  assert.match(await summary.first().innerText(), /Say what the concern is/)
  assert.equal(await page.getByLabel('Day').inputValue(), d, 'the date is kept')
  await checkA11y(page, 'record a concern: errors')
  await shoot(page, 'concern-errors')

  // Her words without saying how she told: refused again, and everything typed is kept.
  await page.locator('summary', { hasText: 'Physical and medical' }).click()
  await page.locator('#ind-sti').check()
  await page.getByLabel('What you saw or were told about this (optional): Sexually transmitted infection').fill('Chlamydia confirmed by the GP')
  await page.getByLabel('Who did Lily tell or show?').fill('school nurse')
  await page.getByLabel("Lily's own words, or what Lily showed").fill(words)
  await page.getByLabel(/^Dean Cole/).check()
  await page.getByLabel('What happened, and who told you?').fill(narrative)
  await page.getByLabel('Who raised the concern?').fill('school nurse, Meanwood Primary School')
  await page.getByRole('button', { name: 'Save the concern' }).click()
  await page.locator('.govuk-error-summary').waitFor()
  assert.match(await page.locator('.govuk-error-summary__list').innerText(), /select how Lily told or showed it/)
  assert.equal(await page.locator('#ind-sti').isChecked(), true)
  assert.equal(await page.locator('#note-sti').inputValue(), 'Chlamydia confirmed by the GP')
  assert.equal(await page.getByLabel('Who did Lily tell or show?').inputValue(), 'school nurse')
  assert.equal(await page.getByLabel("Lily's own words, or what Lily showed").inputValue(), words)
  assert.equal(await page.getByLabel(/^Dean Cole/).isChecked(), true)
  assert.equal(await page.getByLabel('What happened, and who told you?').inputValue(), narrative)
  assert.equal(await page.getByLabel('Who raised the concern?').inputValue(), 'school nurse, Meanwood Primary School')

  // What saving will do, before saving: R11's act alert.
  await page.getByLabel('Yes, in words').check()
  await page.getByRole('button', { name: 'Check what saving will do' }).click()
  const banner = page.locator('.govuk-notification-banner', { hasText: 'Not saved yet' })
  await banner.waitFor()
  assert.match(await banner.innerText(), /sexually transmitted infection[\s\S]*strategy discussion/)
  assert.match(await banner.innerText(), /rule R11/)
  await checkA11y(page, 'record a concern: what saving will do')

  await banner.getByRole('button', { name: 'Save the concern' }).click()
  await page.waitForURL(/\/children\/p-lily-h#alerts$/)

  // The concern as recorded (found by its narrative), with her words in quotes, as said.
  const chronology = await apiGet(page, '/api/children/p-lily-h/chronology')
  const mine = chronology.facts.filter((f) => f.type === 'concern.raised' && (f.narrative ?? '').includes(narrative))
  assert.equal(mine.length, 1, 'the concern is recorded once')
  const fact = mine[0]
  assert.deepEqual(fact.children, ['p-lily-h'])
  assert.deepEqual(fact.alleged, ['p-dean-c'])
  assert.equal(fact.indicators[0].code, 'sti')
  assert.equal(fact.indicators[0].note, 'Chlamydia confirmed by the GP')
  assert.deepEqual(fact.disclosure, { kind: 'verbal', to: 'school nurse' })
  assert.ok(fact.narrative.includes(`"${words}"`))
  assert.equal(fact.by, 'sw.demo')
  assert.equal(fact.agency, 'csc')

  // The R11 alert it raised: open (due within 1 working day) unless a strategy discussion
  // another journey recorded today has answered it already.
  const { alerts } = await apiGet(page, '/api/children/p-lily-h/alerts')
  const r11 = alerts.filter((a) => a.rule === 'R11' && a.because.includes(fact.id))
  assert.equal(r11.length, 1, 'R11 raised an alert on this concern')
  assert.equal(r11[0].strength, 'act')
  assert.match(r11[0].message, /sexually transmitted infection.*strategy discussion/)
  assert.ok(['open', 'overdue', 'resolved'].includes(r11[0].status), r11[0].status)

  // Lily's record shows it: one more R11 card, in the alerts to act on when it is open.
  assert.equal(await r11Cards(page).count(), cardsBefore + 1)
  if (r11[0].status !== 'resolved') {
    const open = page.locator('#alerts ~ .app-alert', { hasText: 'sexually transmitted infection' })
    assert.ok(await open.count() >= 1)
    const card = open.filter({ hasText: 'rule R11' }).last()
    assert.match(await card.innerText(), /Lily Hart, aged 10 when seen/)
    assert.match(await card.innerText(), /Hold a strategy discussion/)
    assert.match(await card.locator('.govuk-tag').innerText(), /due|open|overdue/i)
  }
  // And in her chronology, one more concern with an infection.
  assert.equal(await stiConcernsInChronology(page).count(), chronologyBefore + 1)
  assert.match(await stiConcernsInChronology(page).last().innerText(), /alleged: Dean Cole/)
  await checkA11y(page, 'child record after a concern')
  await page.context().close()
})

// A synthetic child Sam may read whose registration says nothing of how they communicate: the
// last such child (the first ones are the likeliest to be picked by other journeys).
function childWithoutCommunication () {
  const csv = execFileSync(env.PATHWAY, ['--db', env.DB, 'link', 'clusters', '--csv'], { encoding: 'utf8' })
  const ids = [...new Set(csv.split('\n').slice(1).map((l) => l.split(',')[2]).filter((id) => id && id.startsWith('csc-')))]
  const readable = []
  for (const id of ids.slice(0, 60)) {
    let out = ''
    try {
      out = execFileSync(env.PATHWAY, ['--db', env.DB, 'access', 'check', 'sw.demo', id], { encoding: 'utf8' })
    } catch (e) {
      out = String(e.stdout ?? '')
    }
    if (/allowed/.test(out)) readable.push(id)
  }
  return readable.reverse()
}

test('a concern corrects how a child communicates, in the same save', async () => {
  const page = await newPage(chromium.browser)
  await signIn(page, base, 'sw.demo', env.TEST_PASSWORD)
  let child = null
  let before = null
  for (const id of childWithoutCommunication()) {
    const summary = await apiGet(page, `/api/children/${id}`)
    const reg = summary.registration
    if (reg && !reg.communication && reg.dob && reg.names?.[0]?.given) {
      child = id
      before = reg
      break
    }
  }
  assert.ok(child, 'a synthetic child sw.demo may read with no communication recorded')
  const first = before.names[0].given
  await page.goto(`${base}/children/${child}/concern`)
  assert.match(await page.locator('.govuk-warning-text').innerText(), /Not recorded: .*how they communicate/)
  await page.getByLabel('No, ' + first + ' has not said or shown anything').check()
  const narrative = `Nursery saw bruising and ${first} flinched at nappy change, ${Date.now()}`
  await page.getByLabel('What happened, and who told you?').fill(narrative)
  // The identity part is open when something is missing.
  await page.getByLabel('A few words').check()
  await page.getByRole('button', { name: 'Save the concern' }).click()
  await page.waitForURL(new RegExp(`/children/${child}#alerts$`))

  const after = (await apiGet(page, `/api/children/${child}`)).registration
  assert.equal(after.communication, 'limited_verbal')
  assert.equal(after.supersedes, before.id)
  assert.deepEqual(after.names, before.names, 'every other field as it was')
  assert.equal(after.dob, before.dob)
  assert.equal(after.ethnicity, before.ethnicity)
  assert.equal(after.language, before.language)
  const chronology = await apiGet(page, `/api/children/${child}/chronology`)
  const mine = chronology.facts.filter((f) => f.type === 'concern.raised' && f.narrative === narrative)
  assert.equal(mine.length, 1)
  assert.deepEqual(mine[0].disclosure, { kind: 'none' })
  assert.match(await page.locator('#identity ~ .govuk-summary-list').innerText(), /Communication\s+Limited verbal/)
  assert.ok(await page.locator('.app-timeline__item', { hasText: 'corrected later' }).count() >= 1)
  await page.context().close()
})

test('without JavaScript every sign\'s note box shows, so a note can still be written', async () => {
  const page = await newPage(chromium.browser, { javaScriptEnabled: false })
  await signIn(page, base, 'sw.demo', env.TEST_PASSWORD)
  await page.goto(`${base}/children/p-lily-h/concern`)
  await page.locator('summary', { hasText: 'Physical and medical' }).click()
  assert.equal(await page.locator('#note-sti').isVisible(), true)
  // A note on a sign not ticked is refused, not dropped, and kept.
  await page.locator('#note-pregnancy').fill('Asked the nurse about a pregnancy test')
  await page.getByRole('button', { name: 'Save the concern' }).click()
  await page.locator('.govuk-error-summary').waitFor()
  assert.match(await page.locator('.govuk-error-summary__list').innerText(), /Tick ‘Pregnancy’ to record your note about it/)
  assert.equal(await page.locator('#note-pregnancy').inputValue(), 'Asked the nurse about a pregnancy test')
  await page.context().close()
})
