// Keeping the child sexual abuse risk explicit when a case steps down or closes (rules R15, R08,
// R16): a social worker records a child protection plan for Lily Hart with sexual and emotional
// abuse as its categories, two risks each with how it is mitigated and two re-referral
// triggers, and finds it in her chronology; then tries to close her brother Noah's case with a
// reason but no risks. The page says first what the record holds about sexual abuse for Noah;
// "Check before saving" is refused, the refusal explained in the error summary with everything
// typed kept; with the risks and triggers filled in, the check shows what remains (rule R08
// still blocks while an investigation closed with no further police action at this time has
// had no multi-agency discussion). Nothing is closed: other journeys share Noah's record.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { useBrowser, newPage, checkA11y, shoot, signIn, env } from './lib.mjs'

const base = env.BASE_URL
const chromium = useBrowser()

// Text no other journey types, so the assertions are about this run's own effects.
const tag = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`

test('record a child protection plan that names the sexual-abuse risks', async () => {
  const page = await newPage(chromium.browser)
  await signIn(page, base, 'sw.demo', env.TEST_PASSWORD)
  await page.goto(`${base}/children/p-lily-h`)
  await page.getByRole('button', { name: 'Record a plan' }).click()
  await page.waitForURL(`${base}/children/p-lily-h/plan`)
  assert.equal((await page.locator('h1').innerText()).trim(), 'Record a plan')
  // Rule R16 in the hint: the signs on record, and the advice to record the sexual category.
  assert.match(await page.locator('#categories-hint').innerText(), /\d+ signs? of sexual abuse (is|are) on record for Lily Hart.*rule R16/)
  // At least three empty rows of a risk and its mitigation, without script.
  assert.ok(await page.locator('textarea[name^="risk-"]').count() >= 3)
  assert.equal(await page.locator('#risk-3').inputValue(), '')
  // Rule R13 in the hint of the parent relied on; her mother offered by name.
  assert.match(await page.locator('#relies_on_parent-hint').innerText(), /capacity to protect.*rule R13/)
  assert.match(await page.locator('#relies_on_parent').innerText(), /Kerry Hart \(parent\)/)
  await checkA11y(page, 'record a plan')
  await shoot(page, 'plan')

  const risk1 = `Contact with Dean Cole at the family home (${tag})`
  const risk2 = `Being collected from school by Dean Cole (${tag})`
  await page.getByLabel('Child protection plan', { exact: true }).check()
  await page.getByLabel('Sexual abuse', { exact: true }).check()
  await page.getByLabel('Emotional abuse', { exact: true }).check()
  await page.locator('#risk-1').fill(risk1)
  await page.locator('#mitigation-1').fill('Dean Cole has moved out; no contact unless supervised by the local authority')
  await page.locator('#risk-2').fill(risk2)
  await page.locator('#mitigation-2').fill('School holds a list of who may collect Lily; Dean Cole is not on it')
  await page.getByLabel(/What would bring Lily Hart back/).fill(
    `Any contact between Lily and Dean Cole (${tag})\nNew sexualised behaviour seen at school`)
  await page.getByRole('button', { name: 'Save the plan' }).click()
  await page.waitForURL(`${base}/children/p-lily-h#alerts`)
  assert.equal((await page.locator('h1').innerText()).trim(), 'Lily Hart')

  // The plan, as the API holds it, with this run's own text.
  const chronology = await (await page.request.get(`${base}/api/children/p-lily-h/chronology`)).json()
  const plans = chronology.facts.filter((f) => f.type === 'plan.made' &&
    (f.csa_risks ?? []).some((r) => r.risk === risk1))
  assert.equal(plans.length, 1, 'the plan is recorded once')
  const plan = plans[0]
  assert.equal(plan.kind, 'child_protection')
  assert.deepEqual([...plan.categories].sort(), ['emotional', 'sexual'])
  assert.deepEqual(plan.csa_risks.map((r) => r.risk), [risk1, risk2])
  assert.ok(plan.csa_risks.every((r) => r.mitigation.length > 0))
  assert.deepEqual(plan.re_referral_triggers, [`Any contact between Lily and Dean Cole (${tag})`, 'New sexualised behaviour seen at school'])
  // ...and in her chronology on the page, in words, on its date.
  const when = new Date(`${plan.at}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
  const item = page.locator('.app-timeline__item', { hasText: 'child protection plan made for Lily Hart: categories sexual, emotional; 2 sexual-abuse risks; 2 re-referral triggers' })
    .filter({ hasText: when })
  assert.ok(await item.count() >= 1, `the plan of ${when} is in the chronology`)
  await checkA11y(page, 'record after the plan')
  await page.context().close()
})

test('closing Noah\'s case without naming the sexual-abuse risks is refused, then what remains', async () => {
  const page = await newPage(chromium.browser)
  await signIn(page, base, 'sw.demo', env.TEST_PASSWORD)
  await page.goto(`${base}/children/p-noah-h`)
  await page.getByRole('button', { name: 'Step down or close' }).click()
  await page.waitForURL(`${base}/children/p-noah-h/closure`)

  // What the record says about sexual abuse comes before the form.
  const said = page.locator('main p, main .govuk-warning-text').filter({ hasText: 'Sexual abuse has been a concern for Noah Hart' })
  assert.equal(await said.count(), 1)
  const record = await said.innerText()
  assert.match(record, /\d+ signs? recorded/)
  const r08 = /multi-agency discussion is still required \(R08\)/.test(record)
  const form = page.locator('form[action="/children/p-noah-h/closure"]')
  assert.ok(await page.locator('#record').evaluate((h, f) => Boolean(h.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING), await form.elementHandle()),
    'the record is shown before the form')

  // A reason, but no risks and no triggers (rows filled from an earlier plan are cleared).
  const rationale = `Family engaging with support; no new concerns since June (${tag})`
  await page.getByLabel('Closing the case', { exact: true }).check()
  await page.getByLabel('Why is the case stepping down or closing?').fill(rationale)
  for (const box of await page.locator('textarea[name^="risk-"], textarea[name^="mitigation-"]').all()) {
    await box.fill('')
  }
  await page.getByLabel(/What would bring Noah Hart back/).fill('')
  await page.getByRole('button', { name: 'Check before saving' }).click()
  const summary = page.locator('.govuk-error-summary')
  await summary.waitFor()
  const problems = await summary.innerText()
  if (r08) {
    // The rules run in order: R08 refuses first while the discussion has not been held.
    assert.match(problems, /Noah Hart's case cannot be closed until a multi-agency discussion/)
    assert.match(problems, /\(rule R08\)/)
  } else {
    assert.match(problems, /Sexual abuse has been a concern for Noah Hart, so the closing record must name each sexual-abuse risk and how it is mitigated.*\(rule R15\)/)
    assert.match(problems, /Say what would bring Noah Hart back to children's social care.*re-referral trigger.*\(rule R15\)/)
    assert.equal(await summary.getByRole('link', { name: /rule R15/ }).first().getAttribute('href'), '#risk-1')
  }
  // Everything typed is kept.
  assert.equal(await page.getByLabel('Why is the case stepping down or closing?').inputValue(), rationale)
  assert.ok(await page.getByLabel('Closing the case', { exact: true }).isChecked())
  assert.equal(await page.getByLabel('Who made the decision?').inputValue(), 'sw.demo')
  assert.equal(await page.locator('.govuk-notification-banner').count(), 0, 'nothing said to be checked')
  await checkA11y(page, 'closure blocked')
  await shoot(page, 'closure-blocked')

  // The risks, each with how it is mitigated, and the triggers: check again.
  await page.locator('#risk-1').fill(`Contact with Dean Cole, who lives in the household (${tag})`)
  await page.locator('#mitigation-1').fill('Dean Cole has moved out; Kerry supported by the parenting worker to keep contact supervised')
  await page.locator('#risk-2').fill('Noah is pre-verbal and cannot tell anyone')
  await page.locator('#mitigation-2').fill('Nursery and health visitor watch for signs and report to the front door the same day')
  await page.getByLabel(/What would bring Noah Hart back/).fill('Any contact between Noah and Dean Cole\nRegression in toileting or new distress at nursery')
  await page.getByRole('button', { name: 'Check before saving' }).click()
  await page.waitForLoadState()
  const main = page.locator('main')
  if (r08) {
    // R15 is answered; what remains is R08: closure is blocked until the discussion is held.
    await summary.waitFor()
    const left = await summary.innerText()
    assert.match(left, /cannot be closed until a multi-agency discussion.*\(rule R08\)/s)
    assert.doesNotMatch(left, /rule R15/)
    assert.equal(await summary.getByRole('link').first().getAttribute('href'), '#record')
  } else {
    await main.locator('.govuk-notification-banner').waitFor()
    assert.equal(await page.locator('.govuk-error-summary').count(), 0)
    assert.match(await main.locator('.govuk-notification-banner').innerText(), /Nothing blocks this\. Saving will record Noah Hart's closing record\./)
  }
  assert.equal(await page.locator('#risk-2').inputValue(), 'Noah is pre-verbal and cannot tell anyone')
  assert.equal(await page.getByLabel('Why is the case stepping down or closing?').inputValue(), rationale)
  await checkA11y(page, 'closure checked again')

  // Nothing was recorded by checking.
  const chronology = await (await page.request.get(`${base}/api/children/p-noah-h/chronology`)).json()
  assert.equal(chronology.facts.filter((f) => f.type === 'case.closed' && (f.rationale ?? '').includes(tag)).length, 0)
  await page.context().close()
})
