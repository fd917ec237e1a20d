// Visits logged without network wait on the phone (localStorage) and are
// sent when the network returns.  Each carries the UUID the phone gave it
// when logged: the server keeps it in dealer.visit.uuid (unique), and the
// same visit sent twice (the answer was lost, two tabs flushed at once)
// gives back the visit of the first time — never a duplicate.
import { reactive } from 'vue'
import { model, session, NetworkError, SessionExpired, T } from './rpc.js'

export const outbox = reactive({ items: [], sending: false, lastError: null })

function key() {
  return `dealer_m_outbox_${session.database}_${session.login}`
}

function load() {
  outbox.items = JSON.parse(localStorage.getItem(key()) || '[]')
}

function save() {
  localStorage.setItem(key(), JSON.stringify(outbox.items))
}

// The JSON-able values of a visit (dates as text) to Tryton's types
function toServer(v) {
  return {
    ...v,
    date: T.datetime(new Date(v.date)),
    next_action_date: v.next_action_date ? T.date(v.next_action_date) : null,
    photos: (v.photos || []).map((p) => ({ name: p.name, data: T.bytes(p.data) })),
  }
}

// Send one visit now; when the network fails it is kept for later.
// Returns the visit id, or null when kept.
export async function logVisit(values) {
  try {
    return await model('dealer.visit', 'log_visit', toServer(values))
  } catch (error) {
    if (error instanceof NetworkError) {
      load()
      if (!outbox.items.some((i) => i.uuid === values.uuid)) {
        outbox.items.push(values)
        save()
      }
      return null
    }
    throw error
  }
}

export async function flush() {
  if (outbox.sending || !session.userId) return
  load()
  if (!outbox.items.length) return
  outbox.sending = true
  try {
    for (const item of [...outbox.items]) {
      try {
        await model('dealer.visit', 'log_visit', toServer(item))
      } catch (error) {
        if (error instanceof NetworkError || error instanceof SessionExpired) {
          outbox.lastError = error.message
          return
        }
        // Refused by the server (a translated reason): kept with it, for
        // the salesperson to see and drop.
        item.error = error.message
        outbox.items = outbox.items.map((i) => (i.uuid === item.uuid ? item : i))
        save()
        continue
      }
      outbox.items = outbox.items.filter((i) => i.uuid !== item.uuid)
      save()
    }
    outbox.lastError = null
  } finally {
    outbox.sending = false
  }
}

export function drop(uuid) {
  load()
  outbox.items = outbox.items.filter((i) => i.uuid !== uuid)
  save()
}

export function startOutbox() {
  window.addEventListener('online', () => flush())
  // 'online' is not always told (a network that answers nothing): try
  // again now and then.
  setInterval(() => { if (navigator.onLine) flush() }, 20000)
  if (session.userId) { load(); flush() }
}

export function reloadOutbox() {
  if (session.userId) load()
}
