// The Vant components the app uses, each with its own styles only (the
// whole of Vant's CSS alone would be 52 KB gzipped).  Vant's texts are in
// Simplified Chinese by default.
import {
  ActionSheet, Button, Cell, CellGroup, DatePicker, Dialog, Divider, Empty,
  Field, Form, Icon, List, Loading, NavBar, NoticeBar, Picker, Popup,
  PullRefresh, Radio, RadioGroup, Search, Step, Steps, Tab, Tabbar,
  TabbarItem, Tabs, Tag, Uploader,
} from 'vant'
import 'vant/es/action-sheet/style/index.mjs'
import 'vant/es/button/style/index.mjs'
import 'vant/es/cell/style/index.mjs'
import 'vant/es/cell-group/style/index.mjs'
import 'vant/es/date-picker/style/index.mjs'
import 'vant/es/dialog/style/index.mjs'
import 'vant/es/divider/style/index.mjs'
import 'vant/es/empty/style/index.mjs'
import 'vant/es/field/style/index.mjs'
import 'vant/es/form/style/index.mjs'
import 'vant/es/icon/style/index.mjs'
import 'vant/es/list/style/index.mjs'
import 'vant/es/loading/style/index.mjs'
import 'vant/es/nav-bar/style/index.mjs'
import 'vant/es/notice-bar/style/index.mjs'
import 'vant/es/notify/style/index.mjs'
import 'vant/es/picker/style/index.mjs'
import 'vant/es/popup/style/index.mjs'
import 'vant/es/pull-refresh/style/index.mjs'
import 'vant/es/radio/style/index.mjs'
import 'vant/es/radio-group/style/index.mjs'
import 'vant/es/search/style/index.mjs'
import 'vant/es/step/style/index.mjs'
import 'vant/es/steps/style/index.mjs'
import 'vant/es/tab/style/index.mjs'
import 'vant/es/tabbar/style/index.mjs'
import 'vant/es/tabbar-item/style/index.mjs'
import 'vant/es/tabs/style/index.mjs'
import 'vant/es/tag/style/index.mjs'
import 'vant/es/toast/style/index.mjs'
import 'vant/es/uploader/style/index.mjs'

const components = [
  ActionSheet, Button, Cell, CellGroup, DatePicker, Dialog, Divider, Empty,
  Field, Form, Icon, List, Loading, NavBar, NoticeBar, Picker, Popup,
  PullRefresh, Radio, RadioGroup, Search, Step, Steps, Tab, Tabbar,
  TabbarItem, Tabs, Tag, Uploader,
]

export default {
  install(app) {
    for (const component of components) app.use(component)
  },
}
