/**
 * One switch of the options page: a labelled checkbox that hands its new
 * state to `onChange`. `data` names the input for tests and the page's own
 * lookups (data-summary-enabled, data-channel-prices …).
 */
import type { ComponentChildren } from 'preact';

export function Check(props: {
  checked: boolean;
  onChange: (on: boolean) => void;
  data?: Record<`data-${string}`, string | true>;
  children: ComponentChildren;
}) {
  return (
    <label class="check">
      <input type="checkbox" checked={props.checked} {...props.data} onChange={(e) => props.onChange((e.currentTarget as HTMLInputElement).checked)} />
      <span>{props.children}</span>
    </label>
  );
}
