// What the customer cards show, read for a page of customers at once:
// the party fields, and the last done visit of each (one search).
import { model, session } from './rpc.js'

let partyFields = null

// dealer_finance adds the overdue amount and credit: read them only where
// its fields exist (fields_get answers for the user's access).
export async function customerFields() {
  if (!partyFields) {
    partyFields = await model('party.party', 'fields_get', [])
  }
  return partyFields
}

export async function cardFields() {
  const known = await customerFields()
  const fields = ['name', 'code', 'customer_type.rec_name', 'tags', 'key_customer', 'owner.rec_name', 'phone', 'mobile']
  for (const name of ['overdue_amount', 'receivable']) if (name in known) fields.push(name)
  return fields.filter((f) => f.split('.')[0] in known)
}

let tagNames = null
export async function tags() {
  if (!tagNames) {
    const rows = await model('dealer.customer.tag', 'search_read', [], 0, 500, null, ['name'])
    tagNames = Object.fromEntries(rows.map((t) => [t.id, t.name]))
  }
  return tagNames
}

export async function withLastVisit(customers) {
  if (!customers.length) return customers
  const ids = customers.map((c) => c.id)
  const visits = await model('dealer.visit', 'search_read',
    [['customer', 'in', ids], ['state', '=', 'done']], 0, 1000, [['date', 'DESC']], ['customer', 'date'])
  const last = {}
  for (const v of visits) if (!(v.customer in last)) last[v.customer] = v.date
  const names = await tags()
  return customers.map((c) => ({ ...c, lastVisit: last[c.id] || null, tagNames: (c.tags || []).map((t) => names[t]).filter(Boolean) }))
}

// Name, code or phone as the salesperson types it
export function searchDomain(text) {
  const q = text.trim()
  if (!q) return []
  const like = `%${q}%`
  return ['OR', ['name', 'ilike', like], ['code', 'ilike', like],
    ['contact_mechanisms.value', 'ilike', like]]
}

export { session }
