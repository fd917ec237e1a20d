// A list read a page at a time as it scrolls (Vant's van-list): fetch(offset,
// limit) gives a page; reload() starts again (a new search, a new tab), and
// an answer of an older search arriving late is dropped.
import { onActivated, ref } from 'vue'
import { fail } from './util.js'
import { t } from './i18n.js'

export const PAGE = 20

// after(rows): completes a page once shown (figures read in a second call)
export function usePaged(fetch, { refreshOnReturn = false, after = null } = {}) {
  const rows = ref([])
  const loading = ref(false)
  const finished = ref(false)
  const error = ref('')
  let generation = 0

  async function more() {
    const mine = generation
    error.value = ''
    try {
      const page = await fetch(rows.value.length, PAGE)
      if (mine !== generation) return
      rows.value.push(...page)
      finished.value = page.length < PAGE
      if (after && page.length) {
        // the reactive rows just shown: what after() sets on them shows
        after(rows.value.slice(-page.length)).catch(fail)
      }
    } catch (e) {
      if (mine === generation) error.value = t('{message}，点击重试', { message: e.message })
      fail(e)
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  function reload() {
    generation += 1
    rows.value = []
    finished.value = false
    loading.value = true
    more()
  }

  if (refreshOnReturn) {
    // Back on a list kept alive: what changed meanwhile shows at once
    let shown = false
    onActivated(() => {
      if (shown) reload()
      shown = true
    })
  }

  return { rows, loading, finished, error, more, reload }
}

// Search as the user types, once the typing pauses
export function useSearch(reload) {
  const query = ref('')
  let timer = null
  function typed() {
    clearTimeout(timer)
    timer = setTimeout(reload, 300)
  }
  return { query, typed }
}
