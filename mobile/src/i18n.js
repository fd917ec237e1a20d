// The app's texts in the user's language (issue 16: Simplified Chinese
// first, English second).  As gettext does, the Chinese wording in the code
// is the source and lang/en.json maps each to its English; t() answers in
// the language of the Tryton user (res.user's preference, rpc.js), the
// login page in the last user's of this phone.  Vant's own texts (cancel,
// confirm, loading) follow through its Locale.
import { ref } from 'vue'
import { Locale } from 'vant'
import enUS from 'vant/es/locale/lang/en-US'
import zhCN from 'vant/es/locale/lang/zh-CN'
import en from './lang/en.json'

// 'zh' or 'en'; reactive: what shows in one language shows again in the other
export const language = ref('zh')

// A Tryton language code (zh_CN, en, en_US…): English for en*, else Chinese
export function useLanguage(code) {
  language.value = /^en(?:[_-]|$)/i.test(code || '') ? 'en' : 'zh'
  const english = language.value === 'en'
  Locale.use(english ? 'en-US' : 'zh-CN', english ? enUS : zhCN)
  document.documentElement.lang = english ? 'en' : 'zh-CN'
  localStorage.setItem('dealer_m_language', language.value)
}

export function lastLanguage() {
  return localStorage.getItem('dealer_m_language')
}

// Tryton's code of the app's language (the login's messages)
export function trytonLanguage() {
  return language.value === 'en' ? 'en' : 'zh_CN'
}

// t('确定认领“{name}”吗？', { name }): the text in the user's language,
// {name} replaced by its value.  'tab|客户': where one Chinese word is two
// English ones (the Customers tab, a Customer field), its context first.
export function t(text, values) {
  const translated = (language.value === 'en' && en[text]) || text.slice(text.indexOf('|') + 1)
  return values ? translated.replace(/\{(\w+)\}/g, (all, key) => values[key] ?? '') : translated
}
