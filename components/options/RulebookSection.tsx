/**
 * The rulebook, visible and editable: every rule grouped as the rulebook is,
 * its one sentence with its source, and each of its numbers (ParamField).
 * Rules with no number (T2, P1, L1 …) are listed too: the seller sees every
 * rule the extension applies, not only the editable ones.
 */
import { useState } from 'preact/hooks';
import { t, tp } from '../../lib/i18n';
import { useCtx, useSlice } from './context';
import { paramsByRule, RULE_GROUPS } from './format';
import { ParamField } from './ParamField';

const BY_RULE = paramsByRule();

export function RuleCard({ id }: { id: string }) {
  const params = BY_RULE.get(id) ?? [];
  return (
    <article class="rule" id={`rule-${id}`} data-rule={id}>
      <header class="rule__head">
        <span class="rule__id">{id}</span>
        <p class="rule__text">{t(`rule_${id}`)}</p>
      </header>
      {params.length ? (
        <div class="rule__params">
          {params.map((e) => (
            <ParamField key={e.path} entry={e} />
          ))}
        </div>
      ) : (
        <p class="rule__fixed">{t('options_rule_fixed')}</p>
      )}
    </article>
  );
}

export function RulebookSection() {
  const { actions } = useCtx();
  useSlice((s) => s.lang);
  const changed = useSlice((s) => Object.keys(s.overrides.values).length);
  const [confirming, setConfirming] = useState(false);
  return (
    <section id="rulebook" class="card" aria-labelledby="rulebook-h">
      <div class="section-head">
        <div>
          <h2 id="rulebook-h">{t('options_rulebook_title')}</h2>
          <p class="muted">{t('options_rulebook_intro')}</p>
        </div>
        <div class="reset-all" data-reset-all>
          <span class="muted" data-changed-count={changed}>
            {changed ? tp('options_changed_count', changed) : t('options_all_default')}
          </span>
          {confirming ? (
            <span class="confirm" role="group" aria-label={t('options_reset_all')}>
              <span>{tp('options_reset_all_confirm', changed)}</span>
              <button
                type="button"
                class="danger"
                data-reset-all-yes
                onClick={async () => {
                  await actions.resetAll();
                  setConfirming(false);
                }}
              >
                {t('options_reset_all_yes')}
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                {t('options_cancel')}
              </button>
            </span>
          ) : (
            <button type="button" disabled={!changed} onClick={() => setConfirming(true)} data-reset-all-ask>
              {t('options_reset_all')}
            </button>
          )}
        </div>
      </div>
      {RULE_GROUPS.map((g) => (
        <div class="group" key={g.id} id={`group-${g.id}`} data-group={g.id}>
          <h3>{t(`options_group_${g.id}`)}</h3>
          {g.rules.map((r) => (
            <RuleCard key={r} id={r} />
          ))}
        </div>
      ))}
    </section>
  );
}
