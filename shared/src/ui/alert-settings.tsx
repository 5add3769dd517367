import { For, Index } from 'solid-js';
import type { Weekday } from '../contract/config.js';
import { playTone } from '../client/alert-sound.js';
import { MAX_QUIET_TIMES, weekOrder, type AlertChoices, type AlertSound, type QuietMode, type QuietTime } from '../client/alerts.js';

const soundNames: Record<AlertSound, string> = { chime: 'Chime', bell: 'Bell', none: 'No sound' };
const modeNames: Record<QuietMode, string> = {
  'no-sound': 'No sound (popups stay)',
  'no-popups': 'No popups',
  'mute-all': 'Mute all, urgent too',
};
const dayNames: Record<Weekday, string> = { sun: 'Sun', mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat' };

/** Sound, urgent sound, "urgent only" and quiet times: the alert part of both apps' settings screens. */
export function AlertSettingsFields(props: { value: AlertChoices; onChange: (v: AlertChoices) => void }) {
  const set = (patch: Partial<AlertChoices>) => props.onChange({ ...props.value, ...patch });
  const setQuiet = (i: number, patch: Partial<QuietTime>) => set({ quietTimes: props.value.quietTimes.map((q, j) => (j === i ? { ...q, ...patch } : q)) });
  const soundPicker = (id: string, label: string, key: 'sound' | 'urgentSound') => (
    <div class="rb-alert-row">
      <label for={id}>{label}</label>
      <select id={id} value={props.value[key]} onChange={(e) => set({ [key]: e.currentTarget.value as AlertSound })}>
        <For each={['chime', 'bell', 'none'] as const}>{(s) => <option value={s}>{soundNames[s]}</option>}</For>
      </select>
      <button type="button" class="rb-btn" disabled={props.value[key] === 'none'} onClick={() => void playTone(props.value[key])} aria-label={`Play the ${label.toLowerCase()}`}>
        ▶ Play
      </button>
    </div>
  );
  return (
    <fieldset class="rb-alerts">
      <legend>Alerts</legend>
      {soundPicker('alert-sound', 'Sound', 'sound')}
      {soundPicker('alert-urgent-sound', 'Urgent sound', 'urgentSound')}
      <label class="rb-alert-check">
        <input type="checkbox" name="urgentOnly" checked={props.value.urgentOnly} onChange={(e) => set({ urgentOnly: e.currentTarget.checked })} /> Urgent callers only
      </label>
      <p class="rb-alert-hint">Urgent callers always get their own notification and sound, never folded into "N missed calls".</p>
      <h3 class="rb-alert-sub">Quiet times</h3>
      <Index each={props.value.quietTimes} fallback={<p class="rb-alert-hint">None: alerts at any hour.</p>}>
        {(q, i) => (
          <div class="rb-quiet" role="group" aria-label={`Quiet time ${i + 1}`}>
            <div class="rb-quiet-days">
              <For each={weekOrder}>
                {(d) => (
                  <label class="rb-alert-check">
                    <input
                      type="checkbox"
                      checked={q().days.includes(d)}
                      onChange={(e) => {
                        const days = e.currentTarget.checked ? [...q().days, d] : q().days.filter((x) => x !== d);
                        // A quiet time needs a day: unticking the last one keeps it.
                        if (days.length) setQuiet(i, { days: weekOrder.filter((w) => days.includes(w)) });
                        else e.currentTarget.checked = true;
                      }}
                    />
                    {dayNames[d]}
                  </label>
                )}
              </For>
            </div>
            <div class="rb-alert-row">
              <label>
                From <input type="time" required value={q().from} onChange={(e) => e.currentTarget.value && setQuiet(i, { from: e.currentTarget.value })} />
              </label>
              <label>
                to <input type="time" required value={q().to} onChange={(e) => e.currentTarget.value && setQuiet(i, { to: e.currentTarget.value })} />
              </label>
              <label>
                <span class="rb-sr">What quiet time {i + 1} holds back</span>
                <select value={q().mode} onChange={(e) => setQuiet(i, { mode: e.currentTarget.value as QuietMode })}>
                  <For each={['no-sound', 'no-popups', 'mute-all'] as const}>{(m) => <option value={m}>{modeNames[m]}</option>}</For>
                </select>
              </label>
              <button type="button" class="rb-btn" onClick={() => set({ quietTimes: props.value.quietTimes.filter((_, j) => j !== i) })}>
                Remove<span class="rb-sr"> quiet time {i + 1}</span>
              </button>
            </div>
          </div>
        )}
      </Index>
      <button
        type="button"
        class="rb-btn"
        disabled={props.value.quietTimes.length >= MAX_QUIET_TIMES}
        onClick={() => set({ quietTimes: [...props.value.quietTimes, { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '12:00', to: '13:00', mode: 'no-sound' }] })}
      >
        Add quiet time
      </button>
    </fieldset>
  );
}
