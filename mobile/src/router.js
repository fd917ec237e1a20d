// Screens load when first opened: the first load carries the login, the
// shell and the home page only (the 3G target of issue 16).
import { createRouter, createWebHashHistory } from 'vue-router'
import { session } from './rpc.js'
import { t } from './i18n.js'
import Home from './views/Home.vue'
import Login from './views/Login.vue'

// A screen after the home page, with the components it needs
const later = (load) => () => Promise.all([import('./ui-more.js'), load()])
  .then(([, view]) => view)

const routes = [
  { path: '/login', name: 'login', component: Login, meta: { public: true, title: '登录' } },
  { path: '/', name: 'home', component: Home, meta: { tab: 'home', title: '首页' } },
  { path: '/customers', name: 'customers', component: later(() => import('./views/Customers.vue')), meta: { tab: 'customers', title: 'tab|客户' } },
  { path: '/customers/new', name: 'customer-new', component: later(() => import('./views/CustomerNew.vue')), meta: { title: '新建客户' } },
  { path: '/customers/:id(\\d+)', name: 'customer', component: later(() => import('./views/Customer.vue')), meta: { title: '客户详情' } },
  { path: '/pool', name: 'pool', component: later(() => import('./views/Pool.vue')), meta: { tab: 'pool', title: '公海' } },
  { path: '/visit', name: 'visit', component: later(() => import('./views/Visit.vue')), meta: { title: '拜访签到' } },
  { path: '/opportunities', name: 'opportunities', component: later(() => import('./views/Opportunities.vue')), meta: { tab: 'opportunities', title: 'tab|商机' } },
  { path: '/opportunities/:id(\\d+)', name: 'opportunity', component: later(() => import('./views/Opportunity.vue')), meta: { title: '商机详情' } },
  { path: '/approvals', name: 'approvals', component: later(() => import('./views/Approvals.vue')), meta: { tab: 'approvals', title: '审批' } },
  { path: '/approvals/:id(\\d+)', name: 'approval', component: later(() => import('./views/Approval.vue')), meta: { title: '审批详情' } },
  { path: '/:rest(.*)*', redirect: '/' },
]

export const router = createRouter({
  history: createWebHashHistory(),
  routes,
})

router.beforeEach((to) => {
  if (!to.meta.public && !session.userId) {
    return { name: 'login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
  }
  return true
})

router.afterEach((to) => {
  document.title = `${t(to.meta.title || '')} · ${t('鼎盛销售')}`
})
