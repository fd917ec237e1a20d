import { createApp } from 'vue'
import App from './App.vue'
import ui from './ui.js'
import { router } from './router.js'
import { chooseDatabase, restore } from './rpc.js'
import { startOutbox } from './outbox.js'
import './app.css'

chooseDatabase()
restore()
createApp(App).use(ui).use(router).mount('#app')
startOutbox()
// After the page's load: Vant's icon font (vite.config.js deferIconFont)
window.addEventListener('load', () => import('vant/es/icon/index.css'))
