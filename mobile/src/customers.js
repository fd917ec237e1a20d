// What the customer cards show, read for a page of customers at once:
// the party fields, and the last done visit of each (one search).
import { model, session } from './rpc.js'

let partyFields = null
let partyFieldsFor = null

// dealer_finance adds the overdue amount and credit: read them only where
// its fields exist (fields_get answers for the user's access, labels in
// his language).  Asked once per user (a round trip less on 3G for every
// list).
export function customerFields() {
  const user = `${session.userId} ${session.context.language}`
  if (!partyFields || partyFieldsFor !== user) {
    partyFieldsFor = user
    partyFields = model('party.party', 'fields_get', [])
    partyFields.catch(() => { partyFields = null })
  }
  return partyFields
}

export async function cardFields() {
  const known = await customerFields()
  const fields = ['name', 'code', 'customer_type.rec_name', 'tags', 'key_customer', 'owner.rec_name', 'phone', 'mobile']
  for (const name of ['overdue_amount', 'receivable']) if (name in known) fields.push(name)
  return fields.filter((f) => f.split('.')[0] in known)
}

export async function tags() {
  const rows = await model('dealer.customer.tag', 'search_read', [], 0, 500, null, ['name'])
  return Object.fromEntries(rows.map((t) => [t.id, t.name]))
}

// Set on the cards (reactive) their last visit and tags' names: read once
// the cards show, in one call each
export async function completeCards(customers) {
  const ids = customers.map((c) => c.id)
  const [visits, names] = await Promise.all([
    model('dealer.visit', 'search_read', [['customer', 'in', ids], ['state', '=', 'done']],
      0, 1000, [['date', 'DESC']], ['customer', 'date']),
    tags(),
  ])
  const last = {}
  for (const v of visits) if (!(v.customer in last)) last[v.customer] = v.date
  for (const c of customers) {
    c.lastVisit = last[c.id] || null
    c.tagNames = (c.tags || []).map((t) => names[t]).filter(Boolean)
  }
}

// A page of customer cards
export async function customerPage(domain, offset, limit) {
  return model('party.party', 'search_read', domain, offset, limit,
    [['name', 'ASC'], ['id', 'ASC']], await cardFields())
}

// Pinyin initials (上海宏达 → SHHD) from the browser's Chinese collation,
// without a dictionary: in pinyin order, each of these characters is the
// first of its initial's (checked on a few hundred common characters; a
// character of two readings takes its first).
const BOUNDS = '吖八嚓咑妸发旮哈讥咔垃呣拏噢妑七呥仨他穵夕丫帀'
const LETTERS = 'ABCDEFGHJKLMNOPQRSTWXYZ'
let collator = null

export function initials(text) {
  collator = collator || new Intl.Collator('zh-Hans-CN')
  return [...text].map((ch) => {
    if (/[A-Za-z0-9]/.test(ch)) return ch.toUpperCase()
    if (!/[\u4e00-\u9fff]/.test(ch)) return ''
    for (let i = LETTERS.length - 1; i >= 0; i -= 1) {
      if (collator.compare(ch, BOUNDS[i]) >= 0) return LETTERS[i]
    }
    return ''
  }).join('')
}

// The names of a list's customers (a salesperson's few hundred, the
// pool's), read once a minute for the pinyin search
const names = {}
async function pinyinMatches(base, letters) {
  const key = JSON.stringify(base)
  if (!names[key] || Date.now() - names[key].at > 60000) {
    names[key] = { at: Date.now(), rows: model('party.party', 'search_read', base, 0, 5000, null, ['name']) }
    names[key].rows.catch(() => { delete names[key] })
  }
  const wanted = letters.toUpperCase()
  return (await names[key].rows).filter((r) => initials(r.name).includes(wanted)).map((r) => r.id)
}

// The base domain and the name, code, phone or pinyin initials the
// salesperson types
export async function searchDomain(base, text) {
  const q = text.trim()
  if (!q) return base
  const like = `%${q}%`
  const any = ['OR', ['name', 'ilike', like], ['code', 'ilike', like],
    ['contact_mechanisms.value', 'ilike', like]]
  if (/^[A-Za-z]{2,}$/.test(q)) any.push(['id', 'in', await pinyinMatches(base, q)])
  return [...base, any]
}

export { session }
