// Figures the shell shows on every screen (the approvals' badge).
import { reactive } from 'vue'
import { model } from './rpc.js'

export const approvals = reactive({ waiting: 0 })

export async function refreshApprovals() {
  approvals.waiting = await model('dealer.approval.request', 'search_count',
    [['waiting_for_me', '=', true]])
  return approvals.waiting
}
