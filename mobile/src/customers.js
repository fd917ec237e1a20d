// What the customer cards show, read for a page of customers at once:
// the party fields, and the last done visit of each (one search).
import { model, session } from './rpc.js'

let partyFields = null

// dealer_finance adds the overdue amount and credit: read them only where
// its fields exist (fields_get answers for the user's access).  Asked once
// per session (a round trip less on 3G for every list).
export function customerFields() {
  if (!partyFields) {
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

// The base domain and the name, code or phone the salesperson types
export function searchDomain(base, text) {
  const q = text.trim()
  if (!q) return base
  const like = `%${q}%`
  return [...base, ['OR', ['name', 'ilike', like], ['code', 'ilike', like],
    ['contact_mechanisms.value', 'ilike', like]]]
}

export { session }
