// The Vant components of the first load (shell, login, home), each with its
// own styles only (the whole of Vant's CSS would be 52 KB gzipped); the
// other screens' components come with them (ui-more.js).  Vant's texts are
// in Simplified Chinese by default.
import {
  Button, Cell, CellGroup, Field, Form, Icon, NavBar, NoticeBar, PullRefresh,
  Tabbar, TabbarItem, Tag,
} from 'vant'
import 'vant/es/button/style/index.mjs'
import 'vant/es/cell/style/index.mjs'
import 'vant/es/cell-group/style/index.mjs'
import 'vant/es/dialog/style/index.mjs'
import 'vant/es/field/style/index.mjs'
import 'vant/es/form/style/index.mjs'
import 'vant/es/nav-bar/style/index.mjs'
import 'vant/es/notice-bar/style/index.mjs'
import 'vant/es/pull-refresh/style/index.mjs'
import 'vant/es/tabbar/style/index.mjs'
import 'vant/es/tabbar-item/style/index.mjs'
import 'vant/es/tag/style/index.mjs'
import 'vant/es/toast/style/index.mjs'

let application = null

export function register(components) {
  for (const component of components) application.use(component)
}

export default {
  install(app) {
    application = app
    register([Button, Cell, CellGroup, Field, Form, Icon, NavBar, NoticeBar,
      PullRefresh, Tabbar, TabbarItem, Tag])
  },
}
