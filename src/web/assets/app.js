// Pathway's only script: the GOV.UK Frontend components' behaviour (the menu toggle on phones,
// the error summary taking focus, buttons not submitting twice). Every page works without it.
// An ES module served from /assets/, as the page's Content-Security-Policy (script-src 'self')
// allows; nothing is inline.
import { initAll } from '/assets/govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
