import { For, Show } from 'solid-js';
import { filterFlags, filterLabels, isFiltered, noFilter, type QueueFilter } from '../client/queue.js';

/** A search box and flag toggles above the list; a location picker when the practice has more than one. */
export function QueueFilters(props: {
  filter: QueueFilter;
  onChange: (f: QueueFilter) => void;
  locations: { id: string; name: string }[];
  /** Picking rows for a bulk action; the toggle appears when the panel offers it. */
  selecting?: boolean;
  onSelecting?: (on: boolean) => void;
}) {
  const set = (patch: Partial<QueueFilter>) => props.onChange({ ...props.filter, ...patch });
  return (
    <div class="rb-filters" role="search">
      <input
        type="search"
        class="rb-search"
        aria-label="Search callers by name or number"
        placeholder="Search name or number"
        value={props.filter.q}
        onInput={(e) => set({ q: e.currentTarget.value })}
        onKeyDown={(e) => e.key === 'Escape' && props.filter.q && (e.stopPropagation(), set({ q: '' }))}
      />
      <div class="rb-flags" role="group" aria-label="Show only">
        <For each={filterFlags}>
          {(k) => (
            <button type="button" class="rb-flag" aria-pressed={props.filter[k]} onClick={() => set({ [k]: !props.filter[k] })}>
              {filterLabels[k]}
            </button>
          )}
        </For>
        <Show when={props.locations.length > 1}>
          <select aria-label="Location" value={props.filter.location} onChange={(e) => set({ location: e.currentTarget.value })}>
            <option value="">All locations</option>
            <For each={props.locations}>{(l) => <option value={l.id}>{l.name}</option>}</For>
          </select>
        </Show>
        <Show when={props.onSelecting}>
          <button type="button" class="rb-flag" aria-pressed={props.selecting ?? false} onClick={() => props.onSelecting!(!props.selecting)}>
            Select
          </button>
        </Show>
        <Show when={isFiltered(props.filter)}>
          <button type="button" class="rb-link" onClick={() => props.onChange(noFilter)}>
            Clear
          </button>
        </Show>
      </div>
    </div>
  );
}
