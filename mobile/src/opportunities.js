// The stages of Tryton's sale opportunities and the moves its buttons make
// (sale_opportunity: lead, opportunity, convert, lost, cancel): a card
// moves by the button, so the server's checks and the timeline apply.
export const STAGES = ['lead', 'opportunity', 'converted', 'won', 'lost']
export const MOVES = {
  lead: [['opportunity', 'opportunity'], ['convert', 'converted'], ['lost', 'lost'], ['cancel', 'cancelled']],
  opportunity: [['convert', 'converted'], ['lead', 'lead'], ['lost', 'lost'], ['cancel', 'cancelled']],
  converted: [],
  won: [],
  lost: [['lead', 'lead']],
  cancelled: [['lead', 'lead']],
}
export const ATTITUDE_TAGS = { supporter: 'success', neutral: 'default', opponent: 'danger' }
