// Approving and rejecting: dealer.approval.request.decide, which checks
// that the user is a current approver and not the requester, and wants a
// reason for a rejection (its messages are shown as they come).
import { h } from 'vue'
import { showDialog, showSuccessToast } from 'vant'
import { model, session } from './rpc.js'
import { refreshApprovals } from './counts.js'
import { fail } from './util.js'
import { t } from './i18n.js'

export const stateTag = { waiting: 'warning', approved: 'success', rejected: 'danger' }

function askReason() {
  return new Promise((resolve) => {
    let reason = ''
    showDialog({
      title: t('驳回原因'),
      showCancelButton: true,
      confirmButtonText: t('驳回'),
      message: () => {
        // Vant's dialog renders this function: a text area for the reason.
        return h('textarea', {
          class: 'reason', rows: 3, placeholder: t('请填写驳回原因（必填）'), 'data-test': 'reject-reason',
          onInput: (event) => { reason = event.target.value },
        })
      },
    }).then(() => resolve(reason), () => resolve(null))
  })
}

export async function decide(request, decision) {
  let comment = null
  if (decision === 'reject') {
    comment = await askReason()
    if (comment === null) return false
  }
  try {
    await model('dealer.approval.request', 'decide', [request.id], decision, comment)
    showSuccessToast(decision === 'approve' ? t('已同意') : t('已驳回'))
    refreshApprovals()
    return true
  } catch (e) {
    fail(e)
    return false
  }
}

export { session }
