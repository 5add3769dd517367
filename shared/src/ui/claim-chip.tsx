import type { ThreadSummary } from '../contract/model.js';
import type { RowState } from '../client/queue.js';
import { Chip } from './chip.js';
import { outcomeLabels } from './format.js';

/** Who has the thread: red "Over SLA", amber "Unclaimed", blue "You", grey the claimant, green the outcome. */
export function ClaimChip(props: { thread: ThreadSummary; state: RowState; late?: number }) {
  const t = () => props.thread;
  // A function inside JSX re-runs when state changes; a bare switch in the body would render once.
  const view = () => {
  switch (props.state) {
    case 'breached':
      // Just past the SLA is a warning; long past it is the alarm.
      return props.late === 1 ? <Chip tone="amber" icon="▲">Late</Chip> : <Chip tone="red" icon="▲">Over SLA</Chip>;
    case 'unclaimed':
      return <Chip tone="amber" icon="○">Unclaimed</Chip>;
    case 'mine':
      return <Chip tone="blue" icon="●">You</Chip>;
    case 'theirs':
      return <Chip tone="grey" icon="●" title={`Claimed by ${t().claim?.staffName}`}>{t().claim?.staffName}</Chip>;
    case 'resolved':
      return <Chip tone="green" icon="✓">{t().resolution ? outcomeLabels[t().resolution!.outcome] : 'Resolved'}</Chip>;
  }
  };
  return <>{view()}</>;
}
