// The Vant components of the screens after the home page, loaded with the
// first of them (router.js), registered on the app then.
import {
  ActionSheet, DatePicker, Divider, Empty, List, Loading, Picker,
  PickerGroup, Popup, Radio, RadioGroup, Search, Step, Steps, Tab, Tabs,
  TimePicker, Uploader,
} from 'vant'
import 'vant/es/action-sheet/style/index.mjs'
import 'vant/es/date-picker/style/index.mjs'
import 'vant/es/divider/style/index.mjs'
import 'vant/es/empty/style/index.mjs'
import 'vant/es/list/style/index.mjs'
import 'vant/es/loading/style/index.mjs'
import 'vant/es/picker/style/index.mjs'
import 'vant/es/picker-group/style/index.mjs'
import 'vant/es/popup/style/index.mjs'
import 'vant/es/radio/style/index.mjs'
import 'vant/es/radio-group/style/index.mjs'
import 'vant/es/search/style/index.mjs'
import 'vant/es/step/style/index.mjs'
import 'vant/es/steps/style/index.mjs'
import 'vant/es/tab/style/index.mjs'
import 'vant/es/tabs/style/index.mjs'
import 'vant/es/time-picker/style/index.mjs'
import 'vant/es/uploader/style/index.mjs'
import { register } from './ui.js'

register([ActionSheet, DatePicker, Divider, Empty, List, Loading, Picker,
  PickerGroup, Popup, Radio, RadioGroup, Search, Step, Steps, Tab, Tabs,
  TimePicker, Uploader])
