// Raise a concern about a child (GET/POST /concern): a school nurse (nurse.demo, health
// practitioner, no relationship with any child on record) is worried about a child who is not on
// record at all. The record's own "Record a concern" page would refuse her (it reads the record
// first); this one asks who the child is and records, in one save, a new record of the child,
// their address and school, and the concern. She is shown her reference, not the record (she
// may not read it). Then the front door (fd.demo) finds the child, opens the record (the front
// door reads a child while a concern awaits a decision) and sees the concern in the chronology
// and its sign in the picture of concern.
//
// Other journeys share the database: the child's names carry a suffix made here, so this file
// only ever finds its own child and concern.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { useBrowser, newPage, checkA11y, shoot, signIn, env } from './lib.mjs'

const base = env.BASE_URL
const chromium = useBrowser()

// Letters only, so that it reads as a name: a middle name no one else has.
function uniqueName () {
  const digits = `${Date.now()}${Math.floor(Math.random() * 1000)}`
  const letters = [...digits].map((d) => 'abcdefghij'[Number(d)]).join('')
  return 'Z' + letters.slice(-9)
}

test('a nurse raises a concern about a child not on record; the front door opens the new record', async () => {
  const middle = uniqueName()
  const given = `Maya ${middle}`
  const fullName = `${given} Okafor`
  const words = 'the man at mummy\'s house hurts my front bottom'
  const narrative = `Maya came to the medical room in tears at ${middle} and said it hurt to wee`
  const page = await newPage(chromium.browser)
  await signIn(page, base, 'nurse.demo', env.TEST_PASSWORD)
  await page.goto(`${base}/concern`)
  assert.equal((await page.locator('h1').innerText()).trim(), 'Raise a concern about a child')
  assert.match(await page.locator('main .govuk-warning-text').first().innerText(), /immediate danger, call 999/)
  // No date of birth yet: no strength is chosen for a sign; each says its strength at every age.
  assert.equal(await page.locator('label[for="ind-sti"] .govuk-tag').count(), 0)
  assert.match(await page.locator('#ind-sti-hint').textContent(),
    /How strong at each age: under 13: suspect; 13 to 15: consider; 16 to 17: consider\./)
  assert.equal(await page.locator('details.govuk-details summary', { hasText: /signs\)/ }).count(), 5)
  await checkA11y(page, 'raise a concern')
  await shoot(page, 'raise-concern')

  // Empty: the error summary asks for the child and for the concern; the date seen is kept.
  const seenDay = await page.locator('#seen-day').inputValue()
  await page.getByRole('button', { name: 'Save the concern' }).click()
  await page.locator('.govuk-error-summary').waitFor()
  const summary = page.locator('.govuk-error-summary__list')
  assert.match(await summary.innerText(), /Enter the child's given name and family name, or an identifier such as their NHS number/)
  assert.match(await summary.innerText(), /Say what the concern is/)
  assert.equal(await summary.locator('a[href="#given"]').count(), 1)
  assert.equal(await page.locator('#seen-day').inputValue(), seenDay, 'the date seen is kept')
  await checkA11y(page, 'raise a concern: errors')

  // Everything but the family name: refused again, and everything typed is kept.
  await page.getByLabel('Given name').fill(given)
  await page.getByLabel('Other names (optional)').fill('Mo')
  await page.locator('#dob-day').fill('14')
  await page.locator('#dob-month').fill('3')
  await page.locator('#dob-year').fill('2017')
  await page.getByLabel('Female').check()
  await page.getByLabel('Address line 1').fill('12 Grange Road')
  await page.getByLabel('Town or city').fill('Leeds')
  await page.getByLabel('Postcode').fill('ls6 2ab')
  await page.getByLabel('School, nursery or college (optional)').fill('Meanwood Primary School')
  await page.getByLabel('First language (optional)').fill('English')
  await page.locator('#interpreter-2').check()
  await page.getByLabel('Speaks in words').check()
  await page.getByLabel('Yes, in words').check()
  await page.getByLabel('Who did the child tell or show?').fill('school nurse')
  await page.getByLabel("The child's own words, or what the child showed").fill(words)
  await page.locator('summary', { hasText: 'Physical and medical' }).click()
  await page.locator('#ind-sti').check()
  await page.locator('#note-sti').fill('GP letter confirms chlamydia')
  await page.getByLabel('What happened, and who told you?').fill(narrative)
  await page.getByLabel('Who else is involved? (optional)').fill("Mother, Grace Okafor; mother's partner, called Dean")
  await page.getByLabel('Who raised the concern?').fill('school nurse, Meanwood Primary School')
  await page.getByRole('button', { name: 'Save the concern' }).click()
  await page.locator('.govuk-error-summary').waitFor()
  assert.equal(await summary.locator('li').count(), 1)
  assert.match(await summary.innerText(), /Enter the child's family name, or an identifier such as their NHS number/)
  assert.equal(await page.getByLabel('Given name').inputValue(), given)
  assert.equal(await page.getByLabel('Other names (optional)').inputValue(), 'Mo')
  assert.equal(await page.locator('#dob-day').inputValue(), '14')
  assert.equal(await page.locator('#dob-month').inputValue(), '3')
  assert.equal(await page.locator('#dob-year').inputValue(), '2017')
  assert.equal(await page.getByLabel('Female').isChecked(), true)
  assert.equal(await page.getByLabel('Address line 1').inputValue(), '12 Grange Road')
  assert.equal(await page.getByLabel('Town or city').inputValue(), 'Leeds')
  assert.equal(await page.getByLabel('Postcode').inputValue(), 'ls6 2ab')
  assert.equal(await page.getByLabel('School, nursery or college (optional)').inputValue(), 'Meanwood Primary School')
  assert.equal(await page.getByLabel('First language (optional)').inputValue(), 'English')
  assert.equal(await page.locator('#interpreter-2').isChecked(), true)
  assert.equal(await page.getByLabel('Speaks in words').isChecked(), true)
  assert.equal(await page.getByLabel('Yes, in words').isChecked(), true)
  assert.equal(await page.getByLabel('Who did the child tell or show?').inputValue(), 'school nurse')
  assert.equal(await page.getByLabel("The child's own words, or what the child showed").inputValue(), words)
  assert.equal(await page.locator('#ind-sti').isChecked(), true)
  assert.equal(await page.locator('#note-sti').inputValue(), 'GP letter confirms chlamydia')
  assert.equal(await page.getByLabel('What happened, and who told you?').inputValue(), narrative)
  assert.equal(await page.getByLabel('Who else is involved? (optional)').inputValue(), "Mother, Grace Okafor; mother's partner, called Dean")
  assert.equal(await page.getByLabel('Who raised the concern?').inputValue(), 'school nurse, Meanwood Primary School')
  // The date of birth given, each sign has its strength at the child's age: an infection
  // under 13 is 'suspect'.
  assert.match(await page.locator('label[for="ind-sti"]').textContent(), /Sexually transmitted infection\s+suspect/)
  assert.match(await page.locator('#signs ~ p').first().innerText(), /at the child's age \(\d+\)/)

  await page.getByLabel('Family name').fill('Okafor')
  await page.getByRole('button', { name: 'Save the concern' }).click()
  const panel = page.locator('.govuk-panel--confirmation')
  await panel.waitFor()
  assert.equal((await panel.locator('h1').innerText()).trim(), 'Your concern has been recorded')
  const reference = (await page.locator('#reference').innerText()).trim()
  assert.match(reference, /^c-web-[0-9a-f]{32}$/)
  const main = await page.locator('main').innerText()
  assert.match(main, new RegExp(`Your concern about ${fullName}, born 14 March 2017`))
  assert.match(main, /front door will read your concern and decide what happens next within 1 working day/)
  assert.match(main, /Record linkage will join this record/)
  assert.match(main, /immediate danger, call 999/)
  // The nurse has no relationship with the new record: no link to it.
  assert.match(main, /You cannot open the child's record/)
  assert.equal(await page.locator('main a[href^="/children/"]').count(), 0)
  await checkA11y(page, 'raise a concern: recorded')
  await shoot(page, 'raise-concern-done')
  await page.context().close()

  // The front door finds the child and opens the record.
  const fd = await newPage(chromium.browser)
  await signIn(fd, base, 'fd.demo', env.TEST_PASSWORD)
  await fd.goto(`${base}/people?q=${encodeURIComponent(fullName)}`)
  const found = fd.locator('main table a', { hasText: fullName })
  assert.equal(await found.count(), 1, 'the front door finds the new child')
  await found.click()
  await fd.waitForURL(/\/children\/web-child-[0-9a-f]{32}$/)
  const child = new URL(fd.url()).pathname.split('/').pop()
  assert.equal(child, reference.replace(/^c-web-/, 'web-child-'))
  // The concern in the chronology, the sign in the picture of concern.
  const item = fd.locator('.app-timeline__item', { hasText: 'concern raised about' })
  assert.equal(await item.count(), 1)
  assert.match(await item.innerText(), /1 indicator \(sti\)/)
  assert.match(await item.innerText(), new RegExp(middle))
  const sign = fd.locator('#picture ~ table tbody tr', { hasText: 'Sexually transmitted infection' })
  assert.equal(await sign.count(), 1)
  assert.match(await sign.innerText(), /suspect/)
  assert.match(await sign.innerText(), /[Hh]ealth/)

  // As recorded: the child, the address, the school and the concern, by the nurse.
  const res = await fd.request.get(`${base}/api/children/${child}/chronology`)
  assert.equal(res.status(), 200)
  const facts = (await res.json()).facts
  const byType = (t) => facts.filter((f) => f.type === t && f.by === 'nurse.demo')
  const [reg] = byType('person.registered')
  assert.deepEqual(reg.names, [{ given, family: 'Okafor' }, { given: 'Mo', kind: 'known_as' }])
  assert.equal(reg.dob, '2017-03-14')
  assert.equal(reg.sex, 'female')
  assert.equal(reg.language, 'English')
  assert.equal(reg.interpreter_needed, false)
  assert.equal(reg.communication, 'verbal')
  assert.deepEqual(byType('residence.recorded')[0].address, { line1: '12 Grange Road', town: 'Leeds', postcode: 'LS6 2AB' })
  assert.equal(byType('school.recorded')[0].setting, 'Meanwood Primary School')
  const [concern] = byType('concern.raised')
  assert.equal(concern.concern, reference)
  assert.deepEqual(concern.children, [child])
  assert.equal(concern.agency, 'health')
  assert.equal(concern.indicators[0].code, 'sti')
  assert.equal(concern.indicators[0].note, 'GP letter confirms chlamydia')
  assert.deepEqual(concern.disclosure, { kind: 'verbal', to: 'school nurse' })
  assert.ok(concern.narrative.startsWith(narrative))
  assert.ok(concern.narrative.includes("Who else is involved: Mother, Grace Okafor; mother's partner, called Dean"))
  assert.ok(concern.narrative.includes(`"${words}"`), 'the child\'s words in quotes, as said')
  assert.equal(concern.alleged, undefined, 'no person records are made for the adults named')
  await fd.context().close()
})

test('a role that may not raise a concern is told so, and where to take it', async () => {
  const page = await newPage(chromium.browser)
  await signIn(page, base, 'dl.demo', env.TEST_PASSWORD)
  const res = await page.goto(`${base}/concern`)
  assert.equal(res.status(), 403)
  assert.match(await page.locator('main').innerText(), /Your role cannot record a concern/)
  await page.context().close()
})

// A valid NHS number no one else is likely to have: nine random digits and their check digit.
function nhsNumber () {
  for (;;) {
    const digits = Array.from({ length: 9 }, () => Math.floor(Math.random() * 10))
    const sum = digits.reduce((s, d, i) => s + d * (10 - i), 0)
    const check = (11 - (sum % 11)) % 11
    if (check !== 10) return digits.join('') + String(check)
  }
}

test('known only by a name, the year born and an NHS number: checked before saving, then saved', async () => {
  const family = uniqueName()
  const page = await newPage(chromium.browser)
  await signIn(page, base, 'dc.demo', env.TEST_PASSWORD)
  await page.goto(`${base}/concern`)
  await page.getByLabel('Given name').fill('Tomasz')
  await page.getByLabel('Family name').fill(family)
  const year = new Date().getFullYear() - 11
  await page.getByLabel(/the year the child was born, roughly/).fill(String(year))
  const good = nhsNumber()
  const bad = good.slice(0, 9) + String((Number(good[9]) + 1) % 10)
  await page.getByLabel('NHS number (optional)').fill(bad.replace(/^(\d{3})(\d{3})/, '$1 $2 '))
  await page.getByLabel('No, the child has not said or shown anything').check()
  await page.locator('summary', { hasText: 'Physical and medical' }).click()
  await page.locator('#ind-pregnancy').check()
  await page.getByLabel('What happened, and who told you?').fill(`Pregnancy test at the walk-in centre, ${family}`)
  // The API checks the NHS number's check digit: said beside the box, nothing recorded.
  await page.getByRole('button', { name: 'Check what saving will do' }).click()
  await page.locator('.govuk-error-summary').waitFor()
  assert.match(await page.locator('.govuk-error-summary__list').innerText(), /The NHS number is not valid \(the check digit is wrong\): check it and enter it again/)
  assert.equal(await page.locator('.govuk-error-summary__list a[href="#nhs"]').count(), 1)
  assert.match(await page.getByLabel('NHS number (optional)').inputValue(), /^\d{3} \d{3} \d{4}$/)
  await checkA11y(page, 'raise a concern: the API refuses the NHS number')

  // Corrected: what saving would raise, nothing kept; the signs at the age the year gives.
  await page.getByLabel('NHS number (optional)').fill(good)
  await page.getByRole('button', { name: 'Check what saving will do' }).click()
  const banner = page.locator('.govuk-notification-banner', { hasText: 'Not saved yet' })
  await banner.waitFor()
  assert.match(await banner.innerText(), /Saving this concern will raise 1 alert/)
  assert.match(await banner.innerText(), new RegExp(`Tomasz ${family}, aged \\d+ when seen: a pregnancy recorded`))
  assert.match(await banner.innerText(), /rule R11/)
  assert.match(await page.locator('#signs ~ p').first().innerText(), /at the child's age \(about \d+\)/)
  assert.match(await page.locator('label[for="ind-pregnancy"]').textContent(), /Pregnancy\s+suspect/)
  // Nothing recorded: the front door, who could read the child once a concern is open, finds
  // no one by that name.
  const fd = await newPage(chromium.browser)
  await signIn(fd, base, 'fd.demo', env.TEST_PASSWORD)
  const search = async () => {
    const res = await fd.request.get(`${base}/api/people?q=${encodeURIComponent('Tomasz ' + family)}`)
    assert.equal(res.status(), 200)
    return (await res.json()).results.filter((r) => r.names.some((n) => n.family === family))
  }
  assert.equal((await search()).length, 0, 'a trial records nothing')
  await checkA11y(page, 'raise a concern: what saving will do')

  await banner.getByRole('button', { name: 'Save the concern' }).click()
  await page.locator('.govuk-panel--confirmation').waitFor()
  assert.match(await page.locator('main').innerText(), new RegExp(`Your concern about Tomasz ${family}, born about ${year}`))
  const [child] = await search()
  assert.ok(child, 'saved: the front door finds the child')
  assert.deepEqual(child.identifiers ?? { nhs: good }, { nhs: good })
  await fd.context().close()
  await page.context().close()
})
