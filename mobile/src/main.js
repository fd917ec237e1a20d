import { createApp } from 'vue'
import App from './App.vue'
import ui from './ui.js'
import { router } from './router.js'
import { chooseDatabase, refreshPreferences, restore, session } from './rpc.js'
import { lastLanguage, useLanguage } from './i18n.js'
import { startOutbox } from './outbox.js'
import './app.css'

chooseDatabase()
// The user's language as kept with the session, then as the server says
// it now (changed in the web client meanwhile); without a session, the
// last user's of this phone for the login page.
if (restore()) {
  useLanguage(session.context.language)
  refreshPreferences().catch(() => {})
} else {
  useLanguage(lastLanguage())
}
createApp(App).use(ui).use(router).mount('#app')
startOutbox()
// After the page's load: Vant's icon font (vite.config.js deferIconFont)
window.addEventListener('load', () => {
  import('vant/es/icon/index.css')
  // the app without network (public-sw.js); a secure page only (https,
  // or this machine)
  if ('serviceWorker' in navigator && import.meta.env.PROD) {
    navigator.serviceWorker.register('/m/sw.js', { scope: '/m/' }).catch(() => {})
  }
})
