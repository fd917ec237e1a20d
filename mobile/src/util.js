// Dates in the company's timezone (its today, not the phone's) and money.
import { showFailToast } from 'vant'
import { session, NetworkError, SessionExpired } from './rpc.js'
import { router } from './router.js'
import { t } from './i18n.js'

function parts(date) {
  const values = {}
  for (const p of new Intl.DateTimeFormat('en-CA', {
    timeZone: session.timezone, year: 'numeric', month: '2-digit',
    day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(date)) values[p.type] = p.value
  return values
}

// 'YYYY-MM-DD' of the company's today
export function today() {
  const p = parts(new Date())
  return `${p.year}-${p.month}-${p.day}`
}

export function addDays(text, days) {
  const [y, m, d] = text.split('-').map(Number)
  const date = new Date(Date.UTC(y, m - 1, d + days))
  return date.toISOString().slice(0, 10)
}

export function monthStart() {
  return today().slice(0, 8) + '01'
}

// A UTC instant as the company's local 'YYYY-MM-DD HH:MM'
export function localDateTime(date) {
  if (!date) return ''
  const p = parts(date instanceof Date ? date : new Date(date))
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`
}

// The company's local 'YYYY-MM-DD' and 'HH:MM' as a UTC instant
export function fromLocal(dateText, timeText) {
  const [y, m, d] = dateText.split('-').map(Number)
  const [hh, mm] = (timeText || '00:00').split(':').map(Number)
  const guess = new Date(Date.UTC(y, m - 1, d, hh, mm))
  // the company's offset at that instant
  const p = parts(guess)
  const shown = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute)
  return new Date(guess.getTime() - (shown - guess.getTime()))
}

export function money(value) {
  if (value === null || value === undefined || value === '') return '¥0.00'
  const [whole, cents = '00'] = String(value).split('.')
  const negative = whole.startsWith('-')
  const digits = negative ? whole.slice(1) : whole
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${negative ? '-' : ''}¥${grouped}.${(cents + '00').slice(0, 2)}`
}

// The sum of amounts sent as decimal strings, to the cent (no float)
export function sumMoney(values) {
  let cents = 0n
  for (const value of values) {
    if (value === null || value === undefined || value === '') continue
    const [whole, fraction = ''] = String(value).split('.')
    const sign = whole.startsWith('-') ? -1n : 1n
    cents += sign * (BigInt(whole.replace('-', '') || '0') * 100n + BigInt((fraction + '00').slice(0, 2)))
  }
  const negative = cents < 0n
  const abs = negative ? -cents : cents
  return `${negative ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`
}

export function isPositive(value) {
  return value !== null && value !== undefined && Number(value) > 0
}

// Show a failed call's message (the server's translated one); an expired
// session goes back to the login page.
export function fail(error) {
  if (error instanceof SessionExpired) {
    router.replace({ name: 'login', query: { next: router.currentRoute.value.fullPath } })
  }
  showFailToast({ message: error.message || t('操作失败'), wordBreak: 'break-word' })
  if (!(error instanceof NetworkError) && !error.kind) console.error(error)
}

export function uuid4() {
  if (crypto.randomUUID) return crypto.randomUUID()
  const b = crypto.getRandomValues(new Uint8Array(16))
  b[6] = (b[6] & 0x0f) | 0x40
  b[8] = (b[8] & 0x3f) | 0x80
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}
