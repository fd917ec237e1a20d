// JSON-RPC with the user's own session, as Tryton's web client does
// (node_modules/tryton-sao/src/session.js, rpc.js): common.db.login posted
// to /<database>/session/login sets the session cookie (HttpOnly, path
// /<database>), and every call goes to /<database>/rpc/ with it.  The
// server applies the user's access rights and record rules to each call:
// the app sees what the user sees in the web client, nothing more.
import { reactive } from 'vue'
import { t, trytonLanguage, useLanguage } from './i18n.js'

export const session = reactive({
  database: null,
  login: null,
  userId: null,
  context: {},
  // company.company's timezone: "today" is the company's today
  timezone: 'Asia/Shanghai',
  employee: null,
  name: '',
})

export class RPCError extends Error {
  constructor(message, kind) {
    super(message)
    this.kind = kind
  }
}
// The network failed (offline, timeout): the call may be tried again.
export class NetworkError extends RPCError {}
export class SessionExpired extends RPCError {}

function storageKey() {
  return `dealer_m_session_${session.database}`
}

export function chooseDatabase() {
  const params = new URLSearchParams(window.location.search)
  session.database = params.get('db') || localStorage.getItem('dealer_m_db') || null
  return session.database
}

export function restore() {
  if (!session.database) return false
  const stored = JSON.parse(localStorage.getItem(storageKey()) || 'null')
  if (!stored) return false
  Object.assign(session, stored)
  return !!session.userId
}

function store() {
  localStorage.setItem('dealer_m_db', session.database)
  localStorage.setItem(storageKey(), JSON.stringify({
    login: session.login, userId: session.userId, context: session.context,
    timezone: session.timezone, employee: session.employee, name: session.name,
  }))
}

export function forget() {
  localStorage.removeItem(storageKey())
  session.userId = null
  session.context = {}
}

// Tryton's JSON types (trytond/protocols/jsonrpc.py): dates and times as
// objects with __class__, Decimal as a string, bytes as base64.
function revive(value) {
  if (Array.isArray(value)) return value.map(revive)
  if (value && typeof value === 'object') {
    switch (value.__class__) {
      case 'date':
        return `${value.year}-${pad(value.month)}-${pad(value.day)}`
      case 'datetime':
        return new Date(Date.UTC(value.year, value.month - 1, value.day,
          value.hour, value.minute, value.second))
      case 'Decimal':
        return value.decimal
      case 'bytes':
        return value.base64
      case 'timedelta':
        return value.seconds
      default: {
        const result = {}
        for (const [k, v] of Object.entries(value)) result[k] = revive(v)
        return result
      }
    }
  }
  return value
}

export function pad(n) {
  return String(n).padStart(2, '0')
}

// Values to send: a 'YYYY-MM-DD' string is a date only where the caller
// says so with these.
export const T = {
  date(text) {
    const [year, month, day] = text.split('-').map(Number)
    return { __class__: 'date', year, month, day }
  },
  datetime(date) {
    return {
      __class__: 'datetime', year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1, day: date.getUTCDate(),
      hour: date.getUTCHours(), minute: date.getUTCMinutes(),
      second: date.getUTCSeconds(), microsecond: 0,
    }
  },
  decimal(text) {
    return { __class__: 'Decimal', decimal: String(text) }
  },
  bytes(base64) {
    return { __class__: 'bytes', base64 }
  },
}

let nextId = 1

async function post(url, body) {
  let response
  try {
    response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    })
  } catch (e) {
    throw new NetworkError(t('网络不可用，请检查网络后重试'), 'network')
  }
  if (response.status === 401 || response.status === 403 && url.endsWith('/session/login')) {
    throw new SessionExpired(t('登录已失效，请重新登录'), 'session')
  }
  if (response.status === 429) {
    throw new RPCError(t('尝试次数过多，请稍后再试'), 'limit')
  }
  if (response.status === 403) {
    throw new RPCError(t('没有权限执行该操作'), 'access')
  }
  if ([502, 503, 504].includes(response.status)) {
    // a proxy without its server, a database busy: worth trying again
    throw new NetworkError(t('服务器暂时不可用，请稍后重试'), 'network')
  }
  let data
  try {
    data = await response.json()
  } catch (e) {
    throw new RPCError(t('服务器返回错误（{status}）', { status: response.status }), 'server')
  }
  if (data.error) {
    const [kind, args] = data.error
    if (kind === 'UserError' || kind === 'UserWarning') {
      // [message, description, domain] / [name, message, description]
      const message = kind === 'UserError' ? args[0] : args[1]
      throw new RPCError(message, kind)
    }
    // Internal errors reach users translated, with a log reference
    // (dealer_base/wall.py hide_internal_errors).
    throw new RPCError(typeof kind === 'string' ? kind : t('服务器错误'), 'server')
  }
  return revive(data.result)
}

// The server's databases, when it tells them ([database] list)
export function listDatabases() {
  return post('/', { id: 0, method: 'common.db.list', params: [] })
}

export async function login(login, password) {
  try {
    const result = await post(`/${session.database}/session/login`, {
      id: 0, method: 'common.db.login',
      params: [login, { password, device_cookie: null }, trytonLanguage()],
    })
    session.login = login
    session.userId = result[0]
    // nothing of a previous user's context goes with the new one's calls
    session.context = {}
  } catch (e) {
    if (e instanceof SessionExpired) {
      throw new RPCError(t('用户名或密码错误'), 'login')
    }
    throw e
  }
  await loadPreferences()
}

async function loadPreferences() {
  // As sao's reload_context: the user's preferences are the context of
  // every call (company, employee, language).
  // at once: a round trip each on 3G
  const [prefs, user, [own]] = await Promise.all([
    call('model.res.user.get_preferences', [true], {}),
    call('model.res.user.get_preferences', [false], {}),
    call('model.res.user.read', [[session.userId], ['company.timezone']], {}),
  ])
  useContext(prefs)
  session.name = user.name || session.login
  const timezone = own && own['company.'] && own['company.'].timezone
  if (timezone) session.timezone = timezone
  store()
}

// The user's preferences as the context of the calls; the app speaks the
// user's language (i18n.js), and so does the server (its messages, the
// selections' labels).
function useContext(prefs) {
  const context = {}
  for (const [key, value] of Object.entries(prefs)) {
    if (key !== 'locale' && !key.endsWith('.rec_name')) context[key] = value
  }
  session.context = context
  session.employee = prefs.employee || null
  useLanguage(context.language)
}

// A session kept from before (restore): its preferences again, the
// language changed in the web client meanwhile shows now.
export async function refreshPreferences() {
  useContext(await call('model.res.user.get_preferences', [true], {}))
  store()
}

export async function logout() {
  try {
    await post(`/${session.database}/session/logout`, {})
  } catch (e) { /* logged out here anyway */ }
  forget()
}

export function call(method, params = [], context = null) {
  const ctx = Object.assign({}, session.context, context || {})
  return post(`/${session.database}/rpc/`, {
    id: nextId++, method, params: [...params, ctx],
  })
}

// model.<name>.<method>(...args)
export function model(name, method, ...args) {
  return call(`model.${name}.${method}`, args)
}

const selections = {}
// A selection field's values as the user reads them (translated)
export async function selection(modelName, field) {
  const key = `${session.context.language}.${modelName}.${field}`
  if (!selections[key]) {
    selections[key] = model(modelName, 'fields_get', [field]).then(
      (fields) => Object.fromEntries(fields[field].selection))
  }
  return selections[key]
}

// rows with <field>_string: the selection's translated value
export async function labelled(rows, modelName, field) {
  const names = await selection(modelName, field)
  return rows.map((r) => ({ ...r, [`${field}_string`]: names[r[field]] || '' }))
}
